import "server-only";
import { AuthError } from "../http/errors";
import { finishPendingSignIn, pendingCookie, recordSecondFactorFailure, startPendingSignIn, takePendingAttempt } from "./pending-sign-in";
import { proofOf } from "./proofs/proof";
import { hasTotp } from "./proofs/totp-factor";
import { SECOND_FACTOR_METHODS, verifySecondFactor, withPassword, type SecondFactorInput } from "./proofs/second-factor";
import { knownAddressKey, rememberAddress } from "./known-address";
import { createSession, type IssuedSession } from "./sessions";
import type { PublicUser } from "./users";

/**
 * After a correct password: nothing when the account has no authenticator;
 * else no session at all, only a pending sign-in and the 401 that names the
 * codes it accepts (with the cookie that names it).
 */
export async function assertNoSecondStepOwed(userId: string, credentialVersion: number, userAgent: string, secure: boolean): Promise<void> {
  if (!(await hasTotp(userId))) return;
  // The version the password was checked under: a change racing this sign-in voids it.
  const token = await startPendingSignIn(userId, credentialVersion, userAgent);
  throw new AuthError("second_factor_required", { methods: [...SECOND_FACTOR_METHODS], headers: { "Set-Cookie": pendingCookie(secure, token) } });
}

interface SecondStep {
  token: string | undefined;
  input: SecondFactorInput;
  address: string;
  userAgent: string;
  secure: boolean;
}

/** The code (or recovery code) for a pending sign-in: the session starts only now. */
export async function completeSignIn({ token, input, address, userAgent, secure }: SecondStep): Promise<{ user: PublicUser; issued: IssuedSession }> {
  const clear = { "Set-Cookie": pendingCookie(secure, null) };
  let pending;
  try {
    pending = await takePendingAttempt(token);
  } catch (error) {
    if (error instanceof AuthError) throw new AuthError(error.code, { description: error.message, headers: clear });
    throw error;
  }
  const { id, user, credentialVersion } = pending;
  let proof;
  try {
    // Same budget as the password's: a known address has its own (rate-limit.ts).
    proof = await verifySecondFactor(user.id, input, { address, trusted: await knownAddressKey(user.id, address) });
  } catch (error) {
    if (!(error instanceof AuthError) || error.code !== "invalid_credentials") throw error;
    const { ended } = await recordSecondFactorFailure(id, user.id);
    if (!ended) throw error;
    throw new AuthError("invalid_credentials", { description: "That code is not right. Too many wrong codes: enter your password again.", headers: clear });
  }
  await finishPendingSignIn(id);
  await rememberAddress(user.id, address);
  // TOTP turned off between the two steps (another device): the password was the proof.
  const issued = await createSession(user.id, { ip: address, userAgent }, proof ? withPassword(proof) : proofOf(["password"]), credentialVersion);
  return { user, issued };
}
