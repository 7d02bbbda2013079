import "server-only";
import { getConfig } from "../config";

/**
 * Set by scripts/server.mjs from the TCP peer after deleting any value the
 * client sent, so it cannot be forged. Next's route handlers do not expose the
 * socket, hence the hand-over through a header.
 */
export const PEER_HEADER = "x-fresh-auth-peer";

/**
 * The address rate limits count against. `X-Forwarded-For` is trusted only
 * with AUTH_TRUST_PROXY=1, and then only its LAST entry: the one our own proxy
 * appended. Earlier entries are whatever the client chose to send.
 */
export function clientAddress(request: Request): string {
  if (getConfig().AUTH_TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").pop()?.trim();
    if (last) return last;
  }
  return request.headers.get(PEER_HEADER) ?? "unknown";
}
