import "server-only";
import type { AuthMethod } from "../../shared/api-types";
import type { FreshLevel } from "../../shared/error-codes";

export type { AuthMethod, FreshLevel };

/**
 * What every factor verifies into. A password check, a passkey assertion or
 * an authenticator code each end in one Proof, and a Proof ends in one of two
 * places: a new session (sign-in, `createSession`) or a fresh token in the
 * SAME session (confirmation, `refreshFreshness`). The access token then
 * carries `auth_time` (= `at`) and `amr` (= `methods`), so a route can ask
 * both how recently and how strongly the user proved presence.
 */
export interface Proof {
  methods: AuthMethod[];
  at: Date;
}

export function proofOf(methods: AuthMethod[], at = new Date()): Proof {
  return { methods, at };
}

/** Session.authMethods is stored as comma-separated text (both providers, no JSON column). */
export function encodeMethods(methods: readonly AuthMethod[]): string {
  return methods.join(",");
}

const KNOWN = new Set<string>(["password", "passkey", "totp", "recovery_code"]);

export function decodeMethods(stored: string): AuthMethod[] {
  const methods = stored.split(",").filter((m): m is AuthMethod => KNOWN.has(m));
  return methods.length ? methods : ["password"];
}

/**
 * Does a proof made with `methods` satisfy `level` for an account that can
 * offer `available`?
 *
 * - "any": one proof of presence, whatever its kind.
 * - "multi_factor": a passkey (possession of the device plus its user
 *   verification: two factors in one gesture), or a password together with an
 *   authenticator or recovery code. An account without a second factor can
 *   give nothing stronger than its password, so there the password suffices:
 *   the level never locks out an account that never set up a second factor.
 */
export function meetsLevel(methods: readonly string[], level: FreshLevel, available: readonly string[]): boolean {
  if (methods.length === 0) return false;
  if (level === "any" || methods.includes("passkey")) return true;
  const code = methods.includes("totp") || methods.includes("recovery_code");
  if (methods.includes("password") && code) return true;
  return !available.includes("totp") && methods.includes("password");
}
