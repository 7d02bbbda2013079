import "server-only";
import { AuthError } from "../auth/errors";
import { log } from "../log";

const RETRY_AFTER_SECONDS = 5;

/**
 * Database outages and overload become `503 service_unavailable` with
 * Retry-After: the client keeps its cookies and tries again, nobody is signed
 * out because the database blinked.
 */
function isUnavailable(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? "") + " " + String((error as { code?: unknown })?.code ?? "");
  const name = (error as { name?: string })?.name ?? "";
  return (
    name === "PrismaClientInitializationError" ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|timeout|Connection terminated|too many clients|the database system is (starting|shutting) up|SQLITE_BUSY|SQLITE_CANTOPEN|database is locked|P1001|P1002|P1008|P1017|P2024/i.test(text)
  );
}

/** The one place an exception becomes a response: no stack or detail ever leaves. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AuthError) return error.toResponse();
  if (isUnavailable(error)) {
    log.warn({ err: error }, "database unavailable");
    return new AuthError("service_unavailable", { retryAfter: RETRY_AFTER_SECONDS }).toResponse();
  }
  log.error({ err: error }, "unhandled error");
  return new AuthError("internal_error").toResponse();
}
