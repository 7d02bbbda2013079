import { ApiError } from "./errors";
import { INVALID_REQUEST_MESSAGE } from "./error-text";

/**
 * Checks a form with the rules the server applies (lib/shared/input-rules.ts)
 * before sending it, and fails exactly as the server would: an
 * `invalid_request` with the same sentences under the same fields.
 */
export function assertFields(problems: Record<string, string | null>): void {
  const fields = Object.fromEntries(Object.entries(problems).filter((entry): entry is [string, string] => entry[1] !== null));
  if (Object.keys(fields).length) throw new ApiError("invalid_request", 400, INVALID_REQUEST_MESSAGE, fields);
}
