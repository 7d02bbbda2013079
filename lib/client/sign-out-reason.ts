import type { SignOutReason } from "./channel";

/**
 * Why this tab is on its way to /login, kept in sessionStorage (this tab
 * only, survives the navigation) so the URL stays the plain
 * `/login?next=…` and a shared link never carries a stale reason.
 */
const KEY = "fresh-auth:signed-out-reason";

export const SIGN_OUT_MESSAGES: Record<SignOutReason, string> = {
  "other-tab": "You were signed out in another tab.",
  ended: "This session was ended from another device.",
  expired: "Your session expired. Sign in again to carry on.",
};

export function rememberSignOutReason(reason: SignOutReason): void {
  try {
    sessionStorage.setItem(KEY, reason);
  } catch {
    // Storage blocked: the sign-in page simply shows no reason.
  }
}

/** Read once: a reload of /login, or a later visit, no longer says it. */
export function takeSignOutReason(): SignOutReason | null {
  try {
    const value = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return value && value in SIGN_OUT_MESSAGES ? (value as SignOutReason) : null;
  } catch {
    return null;
  }
}
