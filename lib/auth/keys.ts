import "server-only";
import { createHash, createSecretKey, hkdf, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { getConfig } from "../config";

export type KeyPurpose = "access" | "refresh" | "csrf";

export interface KeySet {
  kid: string;
  access: KeyObject;
  refresh: KeyObject;
  csrf: KeyObject;
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
  // Created once per process and used as they are by node:crypto's HMAC
  // (tokens and CSRF alike, decisions 504, 506 and 507): no per-call import.
  return { kid, access, refresh, csrf };
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
