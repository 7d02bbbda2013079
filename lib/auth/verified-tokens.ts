import "server-only";
import { AuthError } from "../http/errors";
import { verifyToken, type AccessClaims } from "./tokens";

/**
 * Access tokens already verified by this process, by their exact string.
 *
 * A browser presents the same access token on every request for its whole
 * life (15 minutes by default), and checking its HS256 signature through
 * WebCrypto is the largest cost of an authenticated request after the
 * framework itself. Verification is a pure function of the token string and
 * the process's keys (fixed until restart), so its result can be remembered:
 *
 * - The key is the whole token, signature included: a token differing in a
 *   single byte is a miss and is verified in full. Nothing can be forged into
 *   a hit without presenting a token this process has already accepted.
 * - Expiry is time-dependent, so it is re-checked on every hit, exactly as
 *   jose checks it (`exp <= now` in whole seconds, no tolerance).
 * - Only successes are remembered; failures cost the full check each time.
 * - It never replaces the session check: revocation, logout and password
 *   change still take effect on the very next request (guard.ts reads the
 *   session on every request, cached or not).
 *
 * Bounded: past MAX_ENTRIES the oldest half is dropped (Map keeps insertion
 * order), so memory stays flat under any number of distinct tokens.
 * See docs/decisions/502-verified-access-token-cache.md.
 */
const MAX_ENTRIES = 10_000;
const verified = new Map<string, AccessClaims>();

export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  const hit = verified.get(token);
  if (hit) {
    if (hit.exp <= Math.floor(Date.now() / 1000)) {
      verified.delete(token);
      throw new AuthError("token_expired");
    }
    return hit;
  }
  const claims = await verifyToken(token, "access");
  if (verified.size >= MAX_ENTRIES) {
    let drop = MAX_ENTRIES / 2;
    for (const key of verified.keys()) {
      if (drop-- <= 0) break;
      verified.delete(key);
    }
  }
  verified.set(token, Object.freeze(claims));
  return claims;
}

/** For tests: how many tokens are remembered. */
export function verifiedTokenCount(): number {
  return verified.size;
}
