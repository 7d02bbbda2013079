import "server-only";
import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");

/**
 * A compact HS256 JWS, signed synchronously with node:crypto.
 *
 * The same bytes jose's SignJWT would produce (base64url of the JSON header
 * and payload, HMAC-SHA-256 over "header.payload"), without WebCrypto: there
 * an HMAC of a few hundred bytes costs ~65 µs of event-loop time in
 * argument conversion, promise layers and a thread-pool hop, here ~10 µs,
 * less than the hop alone (decision 506, the reasoning of 504).
 */
export function signHs256(header: { alg: "HS256"; typ: string; kid: string }, payload: object, key: KeyObject): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

export interface JwsHeader {
  alg?: unknown;
  typ?: unknown;
  kid?: unknown;
  [name: string]: unknown;
}

function decodeObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a compact HS256 JWS synchronously and returns its payload, or
 * undefined when it is not one this app signed: a header that is not a JSON
 * object or whose alg is not exactly "HS256", no key from `keyFor` (which
 * judges kid, typ and any other header), a signature that is not the
 * HMAC-SHA-256 of "header.payload" under that key (compared in constant
 * time), or a payload that is not a JSON object. The algorithm is never
 * taken from the token: only HS256 is ever computed, so "none", HS512 or an
 * asymmetric alg cannot be smuggled in. Claims are the caller's to check
 * (tokens.ts). Decision 507.
 */
export function verifyHs256(token: string, keyFor: (header: JwsHeader) => KeyObject | undefined): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeObject(headerPart);
  if (!header || header.alg !== "HS256") return undefined;
  const key = keyFor(header);
  if (!key) return undefined;
  const expected = createHmac("sha256", key).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return decodeObject(payloadPart);
}
