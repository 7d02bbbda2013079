import "server-only";
import { EXPIRY_KEY, GENERATION_KEY, REFRESH_LOCK } from "../shared/storage-keys";
import { contentSecurityPolicy, createNonce } from "../http/csp";
import { cookieNames } from "./cookies";
import { loginAfterEndedSession } from "./next-path";

const script = (value: string) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * When a page load arrives without the refresh cookie (the SameSite=Strict
 * cookie is withheld when the navigation started on another site), or is not
 * a top-level navigation of ours, this tiny page asks for the refresh from
 * our own origin with POST and the CSRF header, then continues. Nothing
 * signed-out is ever shown. It takes the same cross-tab lock as the fetch
 * wrapper and bumps the same generation, so an open tab never runs a second,
 * stale rotation next to it. It reads the CSRF cookie of this scheme by its
 * exact name: over https a plain `csrf_token` is a planted one.
 */
export function resumePageHtml(next: string, secure: boolean, nonce: string): string {
  const login = loginAfterEndedSession(next);
  const csrfName = cookieNames(secure).csrf;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loading…</title></head><body style="font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh">
<p role="status">Loading…</p>
<script nonce="${nonce}">
(function () {
  var name = ${script(csrfName)};
  var values = document.cookie.split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; });
  var csrf = values.length === 1 ? decodeURIComponent(values[0].slice(name.length + 1)) : "";
  function refresh() {
    return fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } })
      .then(function (r) {
        if (r.ok) {
          try {
            localStorage.removeItem(${script(EXPIRY_KEY)});
            localStorage.setItem(${script(GENERATION_KEY)}, String(Number(localStorage.getItem(${script(GENERATION_KEY)}) || 0) + 1));
          } catch (e) {}
          return location.replace(${script(next)});
        }
        // 401: the session is over. 403: these cookies do not belong together
        // (a planted one); nothing was cleared, and the form is the way on.
        if (r.status === 401 || r.status === 403) return location.replace(${script(login)});
        throw new Error("HTTP " + r.status);
      });
  }
  (navigator.locks ? navigator.locks.request(${script(REFRESH_LOCK)}, refresh) : refresh()).catch(function () {
    document.querySelector("p").textContent = "Could not reach the server. Reload to try again.";
  });
})();
</script></body></html>`;
}

export function resumePageResponse(next: string, secure: boolean): Response {
  const nonce = createNonce();
  return new Response(resumePageHtml(next, secure, nonce), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": contentSecurityPolicy(nonce) },
  });
}
