import "server-only";

/**
 * When a page load arrives without the refresh cookie (the SameSite=Strict
 * cookie is withheld when the navigation started on another site), this tiny
 * page asks for the refresh from our own origin, where the cookie does flow,
 * then continues. Nothing signed-out is ever shown.
 */
export function resumePageHtml(next: string): string {
  const target = JSON.stringify(next).replace(/</g, "\\u003c");
  const login = JSON.stringify(`/login?next=${encodeURIComponent(next)}`).replace(/</g, "\\u003c");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Signing you in…</title></head><body style="font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh">
<p role="status">Signing you in…</p>
<script>
(function () {
  var m = document.cookie.match(/(?:^|; )(?:__Host-)?csrf_token=([^;]*)/);
  fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": m ? decodeURIComponent(m[1]) : "" } })
    .then(function (r) { location.replace(r.ok ? ${target} : ${login}); })
    .catch(function () { document.querySelector("p").textContent = "Could not reach the server. Reload to try again."; });
})();
</script></body></html>`;
}
