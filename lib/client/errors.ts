import type { ActionFailure } from "../shared/action-result";
import { ERROR_STATUS, isErrorCode, type ErrorBody, type ErrorCode, type FreshLevel } from "../shared/error-codes";

/** Codes the browser adds to the server's list: things that happen on this side of the wire. */
export type ClientErrorCode = ErrorCode | "network_error" | "reauth_cancelled" | "session_ended" | "passkey_cancelled" | "passkey_failed" | "passkey_rejected";

/** Base of every error the fetch wrapper throws, so a page needs one `instanceof`. */
export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server's error, rebuilt from its JSON body `{error, description, fields?, maxAge?, level?, methods?}`. */
export class ApiError extends ClientError {
  declare readonly code: ErrorCode;
  constructor(
    code: ErrorCode,
    readonly status: number,
    readonly description: string,
    readonly fields?: Record<string, string>,
    readonly maxAge?: number,
    /** Seconds from the `Retry-After` header (429, 503). */
    readonly retryAfter?: number,
    /** fresh_token_required: how strong a proof the route wants. */
    readonly level?: FreshLevel,
    /** fresh_token_required: the proofs this account can give ("password", "passkey", "totp"). */
    readonly methods?: string[],
    /** invalid_credentials in a signed-in check: failures left before a pause (`RateLimit-Remaining`). */
    readonly attemptsLeft?: number,
  ) {
    super(code, description);
  }
}

/** The request never got an answer. The session may be perfectly alive: never a sign-out. */
export class NetworkError extends ClientError {
  constructor(readonly cause?: unknown) {
    super("network_error", "The server could not be reached.");
  }
}

/** The user pressed Cancel (or Escape) in the "Confirm it's you" dialog. */
export class ReauthCancelledError extends ClientError {
  constructor() {
    super("reauth_cancelled", "The confirmation was cancelled.");
  }
}

/** The refresh was refused: the browser is on its way to /login. */
export class SessionEndedError extends ClientError {
  constructor() {
    super("session_ended", "Your session has ended.");
  }
}

/** Field messages from a 400 invalid_request, keyed by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  return error instanceof ApiError && error.code === "invalid_request" && error.fields ? error.fields : {};
}

// A live session cannot produce these: the cookies are gone, revoked or forged.
const SESSION_GONE = new Set<string>(["authorization_required", "invalid_token", "token_revoked"]);

/** True when an answer means there is no session any more (the wrapper then leaves for /login). */
export function isSessionGone(error: unknown): boolean {
  return error instanceof SessionEndedError || (error instanceof ApiError && SESSION_GONE.has(error.code));
}

function statusFallback(status: number): ErrorCode {
  if (status === 503 || status === 502 || status === 504) return "service_unavailable";
  if (status === 404) return "not_found";
  return "internal_error";
}

/**
 * Rebuilds the typed error from a failed response. A body that is not ours
 * (a proxy's HTML 502, say) still becomes an ApiError with a code from the
 * shared list, so pages never branch on raw statuses.
 */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    // Not JSON: fall through to the status-based code.
  }
  const code = isErrorCode(body.error) ? body.error : statusFallback(response.status);
  const description = typeof body.description === "string" ? body.description : `Request failed (${response.status}).`;
  const fields = body.fields && typeof body.fields === "object" ? body.fields : undefined;
  const maxAge = typeof body.maxAge === "number" ? body.maxAge : undefined;
  const retryHeader = Number(response.headers.get("retry-after"));
  const retryAfter = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined;
  const level = body.level === "any" || body.level === "multi_factor" ? body.level : undefined;
  const methods = Array.isArray(body.methods) ? body.methods.filter((m): m is string => typeof m === "string") : undefined;
  const remainingHeader = response.headers.get("ratelimit-remaining");
  const attemptsLeft = remainingHeader !== null && /^\d+$/.test(remainingHeader) ? Number(remainingHeader) : undefined;
  return new ApiError(code, response.status, description, fields, maxAge, retryAfter, level, methods, attemptsLeft);
}

/** The same typed error from a guarded Server Action's refusal (lib/shared/action-result.ts). */
export function errorFromFailure({ error, description, fields, maxAge, retryAfter, level, methods }: ActionFailure): ApiError {
  return new ApiError(error, ERROR_STATUS[error], description, fields, maxAge, retryAfter, level, methods);
}
