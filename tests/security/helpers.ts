// Shared tools of the attack suite: the server's own key derivation (so a
// forged token can be signed with the REAL key and only the part under test is
// wrong), token surgery, and small assertions.
import assert from "node:assert/strict";
import { createHash, createHmac, createSecretKey, hkdfSync, type KeyObject } from "node:crypto";
import { SignJWT, type JWTHeaderParameters } from "jose";
import { Client, TEST_SECRET } from "../http/harness";

export type Purpose = "access" | "refresh" | "csrf";

/** Exactly lib/auth/keys.ts: HKDF-SHA-256, salt "fresh-auth/v1", info "<purpose>-key". */
export function deriveKey(purpose: Purpose, secret = TEST_SECRET): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync("sha256", secret, "fresh-auth/v1", `${purpose}-key`, 32)));
}

export function kidOf(secret = TEST_SECRET): string {
  return createHash("sha256").update(`fresh-auth kid:${secret}`).digest("base64url").slice(0, 12);
}

export const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

export function decode(token: string): { header: Record<string, unknown>; payload: Record<string, any> } {
  const [h, p] = token.split(".");
  return { header: JSON.parse(Buffer.from(h, "base64url").toString()), payload: JSON.parse(Buffer.from(p, "base64url").toString()) };
}

export const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the real derived key, with whatever header and claims the attack needs. */
export async function forge(
  type: "access" | "refresh",
  claims: Record<string, unknown>,
  header: Partial<JWTHeaderParameters> & Record<string, unknown> = {},
  key: KeyObject | Uint8Array = deriveKey(type),
): Promise<string> {
  const protectedHeader = { alg: "HS256", typ: type === "access" ? "at+jwt" : "rt+jwt", kid: kidOf(), ...header };
  return new SignJWT(claims).setProtectedHeader(protectedHeader as JWTHeaderParameters).sign(key);
}

/**
 * A compact JWS made by hand, so the header may hold anything (non-string
 * kids, unknown algorithms) and the HMAC hash may differ from the alg claimed.
 */
export function signRaw(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject | Buffer | string, hash = "sha256"): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest("base64url")}`;
}

/** The CSRF value the server expects for a session: HMAC(csrf key, session id). */
export function csrfFor(sessionId: string, secret = TEST_SECRET): string {
  return createHmac("sha256", deriveKey("csrf", secret)).update(sessionId).digest("base64url");
}

/** Valid claims for a session, to be edited one field at a time. */
export function claimsFor(base: Record<string, any>, type: "access" | "refresh"): Record<string, unknown> {
  const t = now();
  const common = { sub: base.sub, sid: base.sid, jti: base.jti, iat: t, exp: t + 300, iss: "fresh-auth", aud: "fresh-auth", type };
  return type === "access" ? { ...common, fresh: base.fresh ?? true, auth_time: base.auth_time ?? t } : common;
}

type Res = { status: number; data: any; headers: Headers; setCookies?: string[] };

export function assertError(res: Res, status: number, code: string | string[], context = "") {
  const codes = Array.isArray(code) ? code : [code];
  assert.equal(res.status, status, `${context} → ${res.status} ${JSON.stringify(res.data)}`);
  assert.ok(codes.includes(res.data?.error), `${context} → error ${JSON.stringify(res.data)}; expected ${codes.join(" or ")}`);
}

/** A second client holding a copy of another one's cookies (a thief, another tab, a lost response). */
export function copyOf(client: Client): Client {
  const copy = new Client(client.base, client.options);
  for (const [name, cookie] of client.cookies) copy.cookies.set(name, { ...cookie });
  return copy;
}

/** A client that presents exactly these cookies. */
export function withCookies(base: string, cookies: Record<string, string | undefined>): Client {
  const client = new Client(base);
  for (const [name, value] of Object.entries(cookies)) {
    if (value !== undefined) client.cookies.set(name, { value, path: name === "refresh_token" ? "/api/auth" : "/", attributes: "" });
  }
  return client;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
