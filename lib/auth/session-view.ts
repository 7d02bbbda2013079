import "server-only";
import { getConfig } from "../config";
import type { SessionView } from "./sessions";
import type { AccessClaims } from "./tokens";

/**
 * The `session` object for a request authenticated by an access token: the
 * token's own freshness and expiry, and the session's absolute end.
 */
export function sessionViewFromClaims(claims: AccessClaims, sessionExpiresAt: Date): SessionView {
  const freshUntil = (claims.auth_time + getConfig().AUTH_FRESH_TTL) * 1000;
  const fresh = claims.fresh && freshUntil > Date.now();
  return {
    id: claims.sid,
    fresh,
    freshUntil: fresh ? new Date(freshUntil).toISOString() : null,
    accessExpiresAt: new Date(claims.exp * 1000).toISOString(),
    refreshExpiresAt: sessionExpiresAt.toISOString(),
    authTime: new Date(claims.auth_time * 1000).toISOString(),
    methods: claims.amr,
  };
}
