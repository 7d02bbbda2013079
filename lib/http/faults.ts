import "server-only";
import { AuthError } from "./errors";
import { log } from "../log";

const RETRY_AFTER_SECONDS = 5;

// What "the database is not there right now" looks like from each layer.
// Prisma: P1001 can't reach, P1002/P1008 timed out, P1017 connection closed,
// P2024 no pooled connection in time, P2028 transaction API error, P2034 write
// conflict or deadlock, P2037 too many connections.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034", "P2037"]);
// Prisma's driver adapters name the cause (SQLITE_BUSY arrives as SocketTimeout).
const ADAPTER_KINDS = new Set([
  "DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionWriteConflict",
  "DatabaseDoesNotExist", "DatabaseAccessDenied", "AuthenticationFailed", "TlsConnectionError",
]);
// PostgreSQL SQLSTATEs: connection exceptions, out of resources, shutdown or
// restart, statement_timeout, lock wait, a read-only standby after failover,
// serialization failure and deadlock (both safe to retry).
const PG_STATE = /^(08...|53...|57P0[1-5]|57014|55P03|25006|40001|40P01)$/;
const NODE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|PROTOCOL|READONLY).*)$/;
// node-postgres and pg-pool errors carry no code, only these messages. SQLite
// file faults (an unwritable, vanished or full volume, a failing disk) reach
// us through Prisma's driver adapter as a generic error whose MESSAGE names
// SQLite's extended code (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, …) or
// its text: the file is there but cannot be used right now, a fault of the
// database, not of the request (decision 608).
const MESSAGES =
  /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Server has closed the connection|Can't reach database server|database is locked|the database system is (starting up|shutting down|in recovery mode)|\bSQLITE_(IOERR|READONLY|CANTOPEN|FULL|BUSY|LOCKED)\w*|disk I\/O error|attempt to write a readonly database|unable to open database file|database or disk is full/i;

type Thrown = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } } };

/** True when `error` (or anything in its cause chain) means the database is down, overloaded or too slow. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as Thrown;
  const adapterCause = e.meta?.driverAdapterError?.cause;
  const code = typeof e.code === "string" ? e.code : "";
  if (
    e.name === "PrismaClientInitializationError" ||
    PRISMA_CODES.has(code) ||
    ADAPTER_KINDS.has(String(adapterCause?.kind)) ||
    PG_STATE.test(String(adapterCause?.code ?? code)) ||
    NODE_CODES.test(code) ||
    MESSAGES.test(typeof e.message === "string" ? e.message : "")
  ) {
    return true;
  }
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/**
 * The one place an exception becomes a response: no stack or detail ever leaves.
 *
 * Database outages and overload become `503 service_unavailable` with
 * Retry-After, never 500 and never a 401: the response sets no cookie, so
 * the browser keeps its tokens and retries, and nobody is signed out because
 * the database blinked.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof AuthError) return error.toResponse();
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error }, "database unavailable");
    return new AuthError("service_unavailable", { retryAfter: RETRY_AFTER_SECONDS }).toResponse();
  }
  log.error({ err: error }, "unhandled error");
  return new AuthError("internal_error").toResponse();
}
