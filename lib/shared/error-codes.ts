/**
 * The closed list of error codes, shared by the server (lib/auth/errors.ts)
 * and the browser (lib/client/errors.ts), so both sides speak one language.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_link: 400,
  authorization_required: 401,
  token_expired: 401,
  invalid_token: 401,
  token_revoked: 401,
  fresh_token_required: 401,
  invalid_credentials: 401,
  second_factor_required: 401,
  csrf_failed: 403,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: ErrorCode;
  description: string;
  /** invalid_request: field path → message. */
  fields?: Record<string, string>;
  /** fresh_token_required: the route's freshness window in seconds. */
  maxAge?: number;
  /** fresh_token_required: how strong the proof must be. */
  level?: FreshLevel;
  /** fresh_token_required: the proofs this account can give; second_factor_required: the codes the pending sign-in accepts. */
  methods?: string[];
}

/** "any": one proof of presence; "multi_factor": a passkey, or password plus code. */
export type FreshLevel = "any" | "multi_factor";
