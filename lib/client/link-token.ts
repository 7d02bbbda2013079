/**
 * Reads the token of an e-mailed link from the URL fragment (`#token=…`) and
 * removes it from the address bar and history at once. A fragment is never
 * sent to a server, so it is in no access log and no Referer; removing it
 * keeps it out of the history and away from anyone who glances at the screen.
 */
export function takeLinkToken(): string | null {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get("token");
  if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  return token;
}
