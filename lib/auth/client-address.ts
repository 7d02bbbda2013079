import "server-only";
import ipaddr from "ipaddr.js";
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
    if (last) return rateLimitKey(stripPort(last));
  }
  return rateLimitKey(request.headers.get(PEER_HEADER) ?? "unknown");
}

/**
 * Proxies write an entry as `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or
 * `[2001:db8::1]:443` (RFC 7239 style). The port is the client's ephemeral
 * port, new on every connection: kept, each guess would count under a key of
 * its own (decision 604). An IPv4 address has no colon of its own, so one
 * colon means a port; IPv6 carries a port only inside brackets.
 */
export function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d{1,5})?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  return v4WithPort ? v4WithPort[1] : entry;
}

/** Every value that is not an address shares this one key, so made-up values buy nothing. */
export const UNPARSABLE_ADDRESS = "unparsable";

/**
 * One key per client, however it spells its address. IPv4-mapped IPv6
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) is the IPv4 address.
 * A native IPv6 client counts by its /64: one subscriber is routinely given a
 * whole /64, so counting single addresses would let one host spray from 2^64
 * of them. Anything unparsable counts under one shared key: kept verbatim, a
 * client behind a proxy that passes on what it was sent could count each
 * guess under a new made-up "address".
 */
export function rateLimitKey(address: string): string {
  if (!ipaddr.isValid(address)) return UNPARSABLE_ADDRESS;
  const parsed = ipaddr.process(address); // unwraps IPv4-mapped IPv6
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(":")}::/64`;
}
