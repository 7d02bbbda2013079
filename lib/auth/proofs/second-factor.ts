import "server-only";
import { getDb } from "../../db";
import { AuthError } from "../../http/errors";
import { beginAttempt } from "../rate-limit";
import { proofOf, type Proof } from "./proof";
import { useRecoveryCode } from "./recovery-codes";
import { acceptTotpCode } from "./totp-factor";

/** What a pending sign-in (or a reset) accepts as its second step. */
export const SECOND_FACTOR_METHODS = ["totp", "recovery_code"] as const;

export interface SecondFactorInput {
  code?: string;
  recoveryCode?: string;
}

export interface AttemptContext {
  /** The client address (lib/auth/client-address.ts): wrong codes count against it. */
  address: string;
  /** A client already proven for this account (see rate-limit.ts `trusted`). */
  trusted?: string;
}

/**
 * The second step, wherever it is asked for (the pending sign-in, a password
 * reset, a confirmation): `null` when the account has no authenticator (the
 * caller needs nothing more), else a Proof of `["totp"]` or
 * `["recovery_code"]` that the caller joins with its first factor.
 *
 * Throws `second_factor_required` (methods totp, recovery_code) when the
 * account has TOTP and no code was given, `invalid_credentials` for a wrong,
 * replayed or used code, `rate_limited` when the account's or the address's
 * budget is spent. Wrong codes are counted exactly like wrong passwords, on
 * the same account key (the e-mail), so a code and a password share one
 * guessing budget: six digits are guessable only at the rate limit's pace.
 */
export async function verifySecondFactor(userId: string, input: SecondFactorInput, context: AttemptContext): Promise<Proof | null> {
  const factor = await getDb().totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true, user: { select: { email: true } } } });
  if (!factor?.confirmedAt) return null;
  // Empty fields are absent ones (a form's untouched input); spaces as apps show them ("123 456") are dropped.
  const code = input.code?.replace(/\s/g, "") || undefined;
  const recoveryCode = input.recoveryCode || undefined;
  if (code === undefined && recoveryCode === undefined) throw new AuthError("second_factor_required", { methods: [...SECOND_FACTOR_METHODS] });
  const attempt = await beginAttempt({ account: factor.user.email, address: context.address, trusted: context.trusted });
  const ok = code !== undefined ? await acceptTotpCode(userId, code) : await useRecoveryCode(userId, recoveryCode ?? "");
  if (!ok) {
    await attempt.failed();
    throw new AuthError("invalid_credentials", { description: "That code is not right, or it was already used." });
  }
  await attempt.succeeded();
  return proofOf([code !== undefined ? "totp" : "recovery_code"]);
}

/** Password first, then the code: the methods a session records for the pair. */
export function withPassword(proof: Proof): Proof {
  return proofOf(["password", ...proof.methods], proof.at);
}
