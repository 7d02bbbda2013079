import type { ErrorCode } from "../shared/error-codes";
import { INVALID_REQUEST_MESSAGE, OFFLINE_MESSAGE } from "./error-text";
import { ApiError, ClientError, type ClientErrorCode } from "./errors";

/**
 * One friendly sentence per code, loaded when a page first shows an error
 * (error-text.ts). Typed as a full Record so adding a code to
 * lib/shared/error-codes.ts fails the build until it has a message here.
 */
const MESSAGES: Record<ClientErrorCode, string> = {
  invalid_request: INVALID_REQUEST_MESSAGE,
  invalid_json: "The app sent something the server could not read. Reload the page and try again.",
  authorization_required: "Please sign in to continue.",
  token_expired: "Your sign-in needs renewing. Try again.",
  invalid_token: "Your sign-in is no longer valid. Please sign in again.",
  token_revoked: "This session was signed out. Please sign in again.",
  fresh_token_required: "This needs a recent sign-in. Try again to confirm it's you.",
  invalid_credentials: "That email and password do not match.",
  second_factor_required: "Enter the code from your authenticator app to finish signing in.",
  invalid_link: "This link has expired or was already used. Ask for a new one.",
  csrf_failed: "The request could not be verified. Reload the page and try again.",
  not_found: "That could not be found.",
  method_not_allowed: "That action is not available.",
  email_taken: "An account with that email already exists.",
  payload_too_large: "That is too much data to send at once.",
  unsupported_media_type: "The app sent something the server could not read. Reload the page and try again.",
  rate_limited: "Too many attempts.",
  internal_error: "Something went wrong on our side. Please try again.",
  service_unavailable: "The service is busy or down for a moment. Please try again shortly.",
  network_error: OFFLINE_MESSAGE,
  reauth_cancelled: "Cancelled. Nothing was changed.",
  session_ended: "Your session has ended. Taking you to the sign-in page…",
  passkey_cancelled: "The passkey prompt was closed. Nothing was changed.",
  passkey_rejected: "That passkey was not accepted. It may have been removed from its account: sign in with your password instead.",
  passkey_failed: "This browser could not use a passkey just now. Try again, or use your password.",
};

function waitPhrase(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function messageForCode(code: ClientErrorCode): string {
  return MESSAGES[code];
}

/** The sentence a page shows for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.retryAfter && (error.code === "rate_limited" || error.code === "service_unavailable")) {
    return `${MESSAGES[error.code]} Try again in ${waitPhrase(error.retryAfter)}.`;
  }
  if (error instanceof ClientError) return MESSAGES[error.code];
  return MESSAGES.internal_error;
}


export type { ErrorCode };
