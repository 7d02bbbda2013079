/**
 * The security activity log's vocabulary (DESIGN.md, "Security activity"),
 * shared by the server, which records and lists events, and the browser,
 * which turns them into sentences. One list, so neither side can name a type
 * the other does not know.
 */
import type { AuthMethod } from "./api-types";

export const SECURITY_EVENT_TYPES = [
  "signed_in",
  "sign_in_failed",
  "second_factor_failed",
  "signed_out",
  "session_revoked",
  "refresh_reuse_detected",
  "confirmed",
  "password_changed",
  "password_reset",
  "email_change_requested",
  "email_changed",
  "email_verified",
  "passkey_added",
  "passkey_removed",
  "totp_enabled",
  "totp_disabled",
  "recovery_code_used",
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export function isSecurityEventType(value: unknown): value is SecurityEventType {
  return typeof value === "string" && (SECURITY_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * What an event may carry beyond who, when and where. Every field is
 * optional: a type uses the ones that make its sentence (methods for
 * `signed_in`/`confirmed`, count for `session_revoked`, the address for the
 * e-mail events, a passkey's name).
 */
export interface SecurityEventDetail {
  methods?: AuthMethod[];
  count?: number;
  email?: string;
  name?: string;
}

/** Events per page of `GET /api/account/activity`. */
export const ACTIVITY_PAGE_SIZE = 50;

/** Events older than this are deleted (lib/activity/cleanup.ts). */
export const ACTIVITY_RETENTION_DAYS = 90;

/**
 * One event of `GET /api/account/activity`: the contract's fields
 * (id, type, at, userAgent, ip, sessionId, current), plus `device` (the user
 * agent parsed on the server, e.g. "Chrome on macOS") and `detail`.
 */
export interface SecurityEventItem {
  id: string;
  type: SecurityEventType;
  at: string;
  userAgent: string;
  ip: string;
  /** The session that made the change (for a sign-in: the new one); null when none did. */
  sessionId: string | null;
  /** The caller's own session made it. */
  current: boolean;
  device: string;
  detail: SecurityEventDetail;
}
