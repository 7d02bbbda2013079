import "server-only";
import { EXPIRY_KEY, GENERATION_KEY, REFRESH_LOCK } from "../client/keys";

const script = (value: string) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * When a page load arrives without the refresh cookie (the SameSite=Strict
 * cookie is withheld when the navigation started on another site), this tiny
 * page asks for the refresh from our own origin, where the cookie does flow,
 * then continues. Nothing signed-out is ever shown. It takes the same
 * cross-tab lock as the fetch wrapper and bumps the same generation, so an
 * open tab never runs a second, stale rotation next to it.
 */
export function resumePageHtml(next: string): string {
  const login = `/login?next=${encodeURIComponent(next)}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loading…</title></head><body style="font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh">
<p role="status">Loading…</p>
<script>
(function () {
  var m = document.cookie.match(/(?:^|; )(?:__Host-)?csrf_token=([^;]*)/);
  function refresh() {
    return fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": m ? decodeURIComponent(m[1]) : "" } })
      .then(function (r) {
        if (r.ok) {
          try {
            localStorage.removeItem(${script(EXPIRY_KEY)});
            localStorage.setItem(${script(GENERATION_KEY)}, String(Number(localStorage.getItem(${script(GENERATION_KEY)}) || 0) + 1));
          } catch (e) {}
          return location.replace(${script(next)});
        }
        if (r.status === 401) return location.replace(${script(login)});
        throw new Error("HTTP " + r.status);
      });
  }
  (navigator.locks ? navigator.locks.request(${script(REFRESH_LOCK)}, refresh) : refresh()).catch(function () {
    document.querySelector("p").textContent = "Could not reach the server. Reload to try again.";
  });
})();
</script></body></html>`;
}
