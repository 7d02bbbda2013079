import { SIGN_OUT_REASON_KEY } from "../shared/storage-keys";
import type { SignOutReason } from "./channel";

/**
 * Why this tab is on its way to /login, kept in sessionStorage (this tab
 * only, survives the navigation) so the URL stays the plain
 * `/login?next=…` and a shared link never carries a stale reason.
 *
 * Only the writing half lives here: every page can leave for /login, but only
 * /login reads the reason and says it (sign-out-notice.ts), so the sentences
 * are downloaded by that page alone (decision 509).
 */
export function rememberSignOutReason(reason: SignOutReason): void {
  try {
    sessionStorage.setItem(SIGN_OUT_REASON_KEY, reason);
  } catch {
    // Storage blocked: the sign-in page simply shows no reason.
  }
}
