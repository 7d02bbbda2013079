import "server-only";
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from "node:crypto";
import { getConfig } from "../config";
import { deriveKey, kidOf } from "./keys";

/**
 * Encrypts small secrets kept in the database (the TOTP seed): AES-256-GCM
 * under a key derived from AUTH_SECRET for this purpose only, so a database
 * dump alone does not yield anyone's authenticator seed, and no token or
 * CSRF key can ever decrypt it.
 *
 * Sealed form: `v1.<kid>.<iv>.<ciphertext+tag>` (base64url). The kid names
 * the secret that sealed it (as in the tokens' header), so after a rotation
 * the value still opens with the matching AUTH_PREVIOUS_SECRETS entry.
 * `context` (e.g. the user id) is bound as associated data: a sealed value
 * copied onto another row does not open there.
 */
export type BoxPurpose = "totp-secret";

type Keys = { current: { kid: string; key: KeyObject }; byKid: Map<string, KeyObject> };
const cache = new Map<BoxPurpose, Promise<Keys>>();

function keysFor(purpose: BoxPurpose): Promise<Keys> {
  let keys = cache.get(purpose);
  if (!keys) {
    keys = (async () => {
      const { secret, previousSecrets } = getConfig();
      const sets = await Promise.all([secret, ...previousSecrets].map(async (s) => ({ kid: kidOf(s), key: await deriveKey(s, `box:${purpose}`) })));
      return { current: sets[0], byKid: new Map(sets.map((set) => [set.kid, set.key])) };
    })();
    cache.set(purpose, keys);
  }
  return keys;
}

export async function seal(purpose: BoxPurpose, plaintext: string, context: string): Promise<string> {
  const { current } = await keysFor(purpose);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(Buffer.from(`${purpose}:${context}`));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return ["v1", current.kid, iv.toString("base64url"), body.toString("base64url")].join(".");
}

/** Throws when the value was not sealed by a known secret, for this purpose and context. */
export async function open(purpose: BoxPurpose, sealed: string, context: string): Promise<string> {
  const [version, kid, iv, body] = sealed.split(".");
  const key = (await keysFor(purpose)).byKid.get(kid ?? "");
  if (version !== "v1" || !key || !iv || !body) throw new Error("secret-box: unknown key or format");
  const bytes = Buffer.from(body, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(`${purpose}:${context}`));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
}

export function resetSecretBoxForTests(): void {
  cache.clear();
}
