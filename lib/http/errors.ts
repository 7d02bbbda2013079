import "server-only";
import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FreshLevel } from "../shared/error-codes";

const DESCRIPTIONS: Record<ErrorCode, string> = {
  invalid_request: "The request is not valid.",
  invalid_json: "The request body is not valid JSON.",
  authorization_required: "Sign in to continue.",
  token_expired: "The access token has expired.",
  invalid_token: "The token is not valid.",
  token_revoked: "This session has ended. Sign in again.",
  fresh_token_required: "Confirm it's you to continue.",
  second_factor_required: "Enter the code from your authenticator app to finish signing in.",
  invalid_link: "This link is not valid any more. Ask for a new one.",
  invalid_credentials: "The e-mail or password is incorrect.",
  csrf_failed: "The request did not pass the cross-site request check.",
  not_found: "Nothing here.",
  method_not_allowed: "This method is not allowed here.",
  email_taken: "An account with this e-mail already exists.",
  payload_too_large: "The request body is too large.",
  unsupported_media_type: "Send the body as application/json.",
  rate_limited: "Too many attempts. Try again later.",
  internal_error: "Something went wrong on our side.",
  service_unavailable: "The service is briefly unavailable. Try again shortly.",
};

interface AuthErrorOptions {
  description?: string;
  fields?: Record<string, string>;
  maxAge?: number;
  level?: FreshLevel;
  methods?: string[];
  /** Seconds, for rate_limited and service_unavailable. */
  retryAfter?: number;
  headers?: HeadersInit;
}

/**
 * Every failure the API reports. Thrown anywhere below a route handler and
 * turned into the one error body shape by `toResponse()`.
 */
export class AuthError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly options: AuthErrorOptions;

  constructor(code: ErrorCode, options: AuthErrorOptions = {}) {
    super(options.description ?? DESCRIPTIONS[code]);
    this.name = "AuthError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.options = options;
  }

  toResponse(): Response {
    const body: ErrorBody = { error: this.code, description: this.message };
    if (this.options.fields) body.fields = this.options.fields;
    if (this.options.maxAge !== undefined) body.maxAge = this.options.maxAge;
    if (this.options.level !== undefined) body.level = this.options.level;
    if (this.options.methods !== undefined) body.methods = this.options.methods;
    const headers = new Headers(this.options.headers);
    headers.set("Content-Type", "application/json");
    headers.set("Cache-Control", "no-store");
    // RFC 6750 §3: a 401 names the scheme and the reason.
    if (this.status === 401) headers.set("WWW-Authenticate", `Bearer error="${this.code}"`);
    if (this.options.retryAfter !== undefined) headers.set("Retry-After", String(Math.max(1, Math.ceil(this.options.retryAfter))));
    return new Response(JSON.stringify(body), { status: this.status, headers });
  }
}
