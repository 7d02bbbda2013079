import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readFileSync, writeSync, closeSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseDuration } from "./shared/duration";

/**
 * The environment, parsed once. Bad values fail at start with a message that
 * says which variable and what to do, instead of failing later mid-request.
 */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const seconds = parseDuration(text);
      if (seconds === null || seconds <= 0) {
        ctx.addIssue({ code: "custom", message: `"${text}" is not a duration like 90, 90s, 15m, 12h or 30d` });
        return z.NEVER;
      }
      return seconds;
    });

/** `10/15m` → 10 failures per 15 minutes; `off` → no limit. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      if (text.trim() === "off") return null;
      const [points, window] = text.split("/");
      const seconds = window ? parseDuration(window) : null;
      if (!/^\d+$/.test(points ?? "") || Number(points) < 1 || !seconds) {
        ctx.addIssue({ code: "custom", message: `"${text}" must look like 10/15m, or be off` });
        return z.NEVER;
      }
      return { points: Number(points), windowSeconds: seconds };
    });

const schema = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/app.db")
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), "must start with file: or postgresql://"),
  AUTH_SECRET: z.string().optional(),
  AUTH_PREVIOUS_SECRETS: z.string().default(""),
  AUTH_ACCESS_TTL: duration("15m"),
  AUTH_REFRESH_TTL: duration("30d"),
  AUTH_FRESH_TTL: duration("10m"),
  AUTH_REFRESH_REUSE_GRACE: z
    .string()
    .default("10s")
    .transform((text, ctx) => parseDuration(text) ?? (ctx.addIssue({ code: "custom", message: `"${text}" is not a duration` }), z.NEVER)),
  AUTH_BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  // Threads in this process's bcrypt pool; unset → lib/auth/pool-size.ts decides.
  // The cluster primary sets it for each worker (scripts/cluster.mjs).
  AUTH_BCRYPT_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  AUTH_RATE_LIMIT_ACCOUNT: rateLimit("10/15m"),
  AUTH_RATE_LIMIT_ADDRESS: rateLimit("50/15m"),
  // Successful password checks, against one account's flood of bcrypt work
  // (decision 607): far above any person's sign-ins, far below a script's.
  AUTH_RATE_LIMIT_SUCCESS_ACCOUNT: rateLimit("30/15m"),
  AUTH_RATE_LIMIT_SUCCESS_ADDRESS: rateLimit("300/15m"),
  // A password check that cannot start on a bcrypt thread within this is shed (503).
  AUTH_BCRYPT_QUEUE_DEADLINE: duration("5s"),
  AUTH_TRUST_PROXY: z
    .string()
    .default("0")
    .transform((v) => v === "1" || v.toLowerCase() === "true"),
  APP_URL: z
    .string()
    .url()
    // "localhost:3000" parses as a URL with the scheme "localhost:"; only
    // http(s) origins can match a browser's Origin header.
    .refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), "Use an http:// or https:// URL, e.g. https://app.example.com.")
    .optional()
    .transform((url) => (url ? new URL(url).origin : undefined)),
  // Mail (lib/mail): unset SMTP_URL writes each message to ./data/outbox/ instead.
  SMTP_URL: z
    .string()
    .refine((url) => URL.canParse(url) && /^smtps?:$/.test(new URL(url).protocol), "Use smtp://user:pass@host:port or smtps://…")
    .optional(),
  // Where messages go without SMTP_URL; tests give each server its own.
  MAIL_OUTBOX_DIR: z.string().min(1).default("data/outbox"),
  MAIL_FROM: z.string().min(3).default("Fresh Auth <no-reply@localhost>"),
  AUTH_EMAIL_TOKEN_TTL: duration("30m"),
  // Link mails (reset, verification, e-mail change) per account per window;
  // over it the API still answers 202 and sends nothing (no enumeration).
  AUTH_RATE_LIMIT_MAIL: rateLimit("5/1h"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_TIMEOUT: duration("5s"),
});

export type Config = Omit<z.infer<typeof schema>, "AUTH_SECRET" | "AUTH_PREVIOUS_SECRETS"> & {
  /** The current signing secret; new tokens are signed with keys derived from it. */
  secret: string;
  /** Secrets being rolled out: their tokens still verify until removed. */
  previousSecrets: string[];
};

const MIN_SECRET_BYTES = 32;
const DATA_DIR = "data";

let cached: Config | undefined;

export function getConfig(): Config {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const { AUTH_SECRET, AUTH_PREVIOUS_SECRETS, ...rest } = parsed.data;
  const secret = AUTH_SECRET ?? loadOrCreateSecret();
  const previousSecrets = AUTH_PREVIOUS_SECRETS.split(",").map((s) => s.trim()).filter(Boolean);
  for (const [name, value] of [["AUTH_SECRET", secret], ...previousSecrets.map((s) => ["AUTH_PREVIOUS_SECRETS", s])]) {
    if (Buffer.byteLength(value) < MIN_SECRET_BYTES) {
      throw new Error(
        `${name} is shorter than ${MIN_SECRET_BYTES} bytes. Use a long random value, for example ` +
          "`openssl rand -base64 48`, or unset AUTH_SECRET to have one generated into ./data/.",
      );
    }
  }
  cached = { ...rest, secret, previousSecrets };
  return cached;
}

/**
 * With no AUTH_SECRET, a random one is kept in ./data/auth-secret (mode 0600)
 * so restarts keep everyone signed in. Created with O_EXCL: when several
 * instances start together, one writes and the others read.
 */
function loadOrCreateSecret(): string {
  const file = path.join(process.cwd(), DATA_DIR, "auth-secret");
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(file, "wx", 0o600);
    writeSync(fd, randomBytes(48).toString("base64url"));
    closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const value = readFileSync(file, "utf8").trim();
    if (value) return value;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // another instance is mid-write
  }
  throw new Error(`${file} is empty: delete it or set AUTH_SECRET.`);
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}
