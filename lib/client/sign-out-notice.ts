import { SIGN_OUT_REASON_KEY } from "../shared/storage-keys";
import type { SignOutReason } from "./channel";

/** What /login says about why the visitor is there (written by sign-out-reason.ts). */
export const SIGN_OUT_MESSAGES: Record<SignOutReason, string> = {
  "other-tab": "You were signed out in another tab.",
  ended: "This session was ended from another device.",
  expired: "Your session expired. Sign in again to carry on.",
};

// Set by the page-load hand-off when it found the session over (lib/auth/signed-out-reason.ts).
const COOKIE = "fresh-auth-signed-out";

function takeCookieReason(): string | null {
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]*)`).exec(document.cookie);
  if (!match) return null;
  document.cookie = `${COOKIE}=; Path=/login; Max-Age=0; SameSite=Lax`;
  return match[1];
}

const known = (value: string | null | undefined): SignOutReason | null => (value && value in SIGN_OUT_MESSAGES ? (value as SignOutReason) : null);

/**
 * Read once: a reload of /login, or a later visit, no longer says it. This
 * tab's own reason first, then the hand-off's, then what the server saw
 * (`serverReason`: the cookie of a session ended elsewhere).
 */
export function takeSignOutReason(serverReason?: string | null): SignOutReason | null {
  let value: string | null = null;
  try {
    value = sessionStorage.getItem(SIGN_OUT_REASON_KEY);
    sessionStorage.removeItem(SIGN_OUT_REASON_KEY);
  } catch {
    // Storage blocked: fall through to the other sources.
  }
  const cookie = typeof document === "undefined" ? null : takeCookieReason();
  return known(value) ?? known(cookie) ?? known(serverReason);
}
