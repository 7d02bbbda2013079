import "server-only";
import { createHmac, type KeyObject } from "node:crypto";

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");

/**
 * A compact HS256 JWS, signed synchronously with node:crypto.
 *
 * The same bytes jose's SignJWT would produce (base64url of the JSON header
 * and payload, HMAC-SHA-256 over "header.payload"), without WebCrypto: there
 * an HMAC of a few hundred bytes costs ~65 µs of event-loop time in
 * argument conversion, promise layers and a thread-pool hop, here ~10 µs,
 * less than the hop alone (decision 506, the reasoning of 504). Verification
 * stays with jose: the parsing of untrusted tokens is where a library's
 * checks matter, and the verified-token cache already absorbs most of it.
 */
export function signHs256(header: { alg: "HS256"; typ: string; kid: string }, payload: object, key: KeyObject): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}
