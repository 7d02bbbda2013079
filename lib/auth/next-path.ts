/**
 * `next=` only ever leads to a path on this site. Absolute URLs,
 * protocol-relative `//host`, backslash tricks (`/\host`, which browsers read
 * as `//host`) and control characters fall back to "/".
 */
export function safeNextPath(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  try {
    const url = new URL(next, "http://app.invalid");
    if (url.origin !== "http://app.invalid") return fallback;
    const result = url.pathname + url.search + url.hash;
    // Dot segments are resolved above ("/.//evil.com" becomes "//evil.com"),
    // so the result is checked again, not just the input.
    return result.startsWith("//") ? fallback : result;
  } catch {
    return fallback;
  }
}

/**
 * The sign-in page after a hand-off could not renew the session. The status
 * tells /login to show its form even though an (expired) access cookie is
 * still there: without it, a cookie the server cannot clear (one planted by
 * a sibling subdomain, under another Path) sent the browser back to the
 * hand-off, again and again.
 */
export function loginAfterEndedSession(next: string): string {
  return `/login?next=${encodeURIComponent(next)}&status=session-ended`;
}
