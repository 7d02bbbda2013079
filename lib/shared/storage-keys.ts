/**
 * Names shared by every tab (and by the page-load hand-off in
 * lib/auth/resume-page.ts, which takes part in the same lock). Only counters
 * and times live under them, never a token.
 */
export const REFRESH_LOCK = "fresh-auth:refresh";
export const GENERATION_KEY = "fresh-auth:refresh-generation";
export const EXPIRY_KEY = "fresh-auth:access-expires-at";
export const LEASE_KEY = "fresh-auth:refresh-lease";
/** sessionStorage (this tab only): why the tab is on its way to /login. */
export const SIGN_OUT_REASON_KEY = "fresh-auth:signed-out-reason";
