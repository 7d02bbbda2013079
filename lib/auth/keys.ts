import "server-only";
import { createHash, createSecretKey, hkdf, webcrypto, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { getConfig } from "../config";

export type KeyPurpose = "access" | "refresh" | "csrf";

export interface KeySet {
  kid: string;
  access: KeyObject;
  refresh: KeyObject;
  csrf: KeyObject;
  /**
   * The token keys as WebCrypto keys, imported once. jose turns a secret
   * KeyObject back into bytes and re-imports it on every sign and verify
   * (about 150 µs per call on this machine); a CryptoKey is used as is.
   */
  jose: { access: CryptoKey; refresh: CryptoKey };
}

const hkdfAsync = promisify(hkdf);

/**
 * A separate key per purpose, derived from AUTH_SECRET with HKDF: an access
 * token can never verify as a refresh token (or the reverse) even if every
 * claim were forged to match, and a CSRF value can never pass as a signature.
 */
/** 32 bytes for one purpose, from one secret (HKDF-SHA-256). Other modules (secret-box.ts) reuse it. */
export async function deriveKey(secret: string, purpose: string): Promise<KeyObject> {
  return createSecretKey(Buffer.from(await hkdfAsync("sha256", secret, "fresh-auth/v1", `${purpose}-key`, 32)));
}

/**
 * The kid names the secret, not the key: it reveals nothing about it (a hash
 * of a 32+ byte random value) and lets verifiers pick the right key set.
 */
export function kidOf(secret: string): string {
  return createHash("sha256").update(`fresh-auth kid:${secret}`).digest("base64url").slice(0, 12);
}

async function deriveKeySet(secret: string): Promise<KeySet> {
  const derive = (purpose: KeyPurpose) => deriveKey(secret, purpose);
  const kid = kidOf(secret);
  const [access, refresh, csrf] = await Promise.all([derive("access"), derive("refresh"), derive("csrf")]);
  const toCryptoKey = (key: KeyObject) =>
    webcrypto.subtle.importKey("raw", key.export(), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  const [accessKey, refreshKey] = await Promise.all([toCryptoKey(access), toCryptoKey(refresh)]);
  return { kid, access, refresh, csrf, jose: { access: accessKey, refresh: refreshKey } };
}

let keys: Promise<{ current: KeySet; byKid: Map<string, KeySet> }> | undefined;

/** Derived once per process. The current set signs; every set verifies. */
export function getKeys() {
  keys ??= (async () => {
    const { secret, previousSecrets } = getConfig();
    const sets = await Promise.all([secret, ...previousSecrets].map(deriveKeySet));
    return { current: sets[0], byKid: new Map(sets.map((set) => [set.kid, set])) };
  })();
  return keys;
}

export function resetKeysForTests(): void {
  keys = undefined;
}
