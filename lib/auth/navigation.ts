import "server-only";

/**
 * A top-level navigation the user made on this origin (or typed, or a
 * bookmark): `Sec-Fetch-Mode: navigate` and `Sec-Fetch-Site` same-origin or
 * none. An `<img>`, a `fetch`, or any request started by a sibling
 * subdomain (same-site, which SameSite=Strict cookies still reach) is not.
 * Browsers that send no Fetch Metadata (plain http to a non-local host) are
 * not either: they get the page that refreshes with POST and the CSRF header.
 */
export function isTopLevelNavigation(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  return request.headers.get("sec-fetch-mode") === "navigate" && (site === "same-origin" || site === "none");
}
