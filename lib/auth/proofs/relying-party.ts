import "server-only";
import { getConfig } from "../../config";

/** Who the passkeys belong to: the WebAuthn relying party of this deployment. */
export interface RelyingParty {
  /** A registrable domain, never a port or scheme: the host of APP_URL, else the request's host. */
  id: string;
  /** The one origin a browser may report in clientDataJSON. */
  origin: string;
  name: string;
}

const RP_NAME = "Fresh Auth";

/**
 * The RP ID and the expected origin, decided once per request the same way
 * the same-origin check decides "our origin" (csrf.ts): APP_URL when set,
 * else the Host the browser addressed and the scheme the request came over.
 *
 * Without APP_URL this trusts the Host header, which is safe for WebAuthn:
 * the browser itself writes the origin into clientDataJSON and refuses an RP
 * ID that is not its own page's domain, so a forged Host can only make the
 * server expect a site the attacker's browser is not on. Behind a proxy that
 * rewrites Host, set APP_URL, or every passkey would be bound to the internal
 * name (docs/security.md).
 */
export function relyingParty(request: Request): RelyingParty {
  const { APP_URL } = getConfig();
  if (APP_URL) {
    const url = new URL(APP_URL);
    return { id: url.hostname, origin: url.origin, name: RP_NAME };
  }
  const url = new URL(request.url);
  const own = new URL(`${url.protocol}//${request.headers.get("host") ?? url.host}`);
  return { id: own.hostname, origin: own.origin, name: RP_NAME };
}
