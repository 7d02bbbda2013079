import "server-only";
import pino from "pino";

/**
 * Structured logs on stdout. Tokens, passwords and cookies are never passed
 * to the logger; the redact list is the backstop if someone logs a request.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  redact: ["req.headers.cookie", "req.headers.authorization", "password", "*.password", "*.currentPassword", "*.newPassword"],
  base: undefined,
});
