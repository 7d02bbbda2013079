import type { ErrorCode, FreshLevel } from "./error-codes";

/**
 * What a guarded Server Action returns (lib/auth/action.ts): its data, or the
 * same error the JSON API would have answered, as a plain serialisable
 * object. Auth outcomes are results, not throws: a thrown error reaches the
 * browser as an opaque "An error occurred in the Server Components render",
 * which no client could act on.
 */
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

export interface ActionFailure {
  ok: false;
  error: ErrorCode;
  description: string;
  fields?: Record<string, string>;
  /** fresh_token_required: as in the API's error body. */
  maxAge?: number;
  level?: FreshLevel;
  methods?: string[];
  /** rate_limited, service_unavailable: seconds. */
  retryAfter?: number;
}
