import "server-only";
import { getDb } from "../../db";
import { AuthError } from "../errors";

export interface SecondFactorInput {
  code?: string;
  recoveryCode?: string;
}

/**
 * The hook the authenticator-app (TOTP) work plugs into. A reset link proves
 * only the mailbox; on an account with a confirmed authenticator that must
 * not be enough, or a stolen mailbox would undo the second factor. So:
 *
 * - no confirmed TotpFactor → passes (the link is the whole proof);
 * - a confirmed one and neither `code` nor `recoveryCode` → 401
 *   `second_factor_required` (the link stays unused, so the user can retry);
 * - a confirmed one and a code → `verifyResetSecondFactor` decides.
 *
 * Called before the link is spent and before the password is hashed.
 */
export async function assertSecondFactorForReset(user: { id: string; email: string }, input: SecondFactorInput): Promise<void> {
  const factor = await getDb().totpFactor.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } });
  if (!factor?.confirmedAt) return;
  if (!input.code && !input.recoveryCode) {
    throw new AuthError("second_factor_required", { description: "Enter the code from your authenticator app, or a recovery code." });
  }
  await verifyResetSecondFactor(user, input);
}

/**
 * TO BE FILLED by the TOTP work (lib/auth/proofs/totp): check `code` (once
 * per step, ±1 step) or spend `recoveryCode`, counting wrong ones against the
 * account's and the address's limits like login's second step does. Until it
 * exists, no code can be checked, so none is accepted: fail closed.
 */
async function verifyResetSecondFactor(_user: { id: string; email: string }, _input: SecondFactorInput): Promise<void> {
  throw new AuthError("invalid_credentials", { description: "That code is not correct." });
}
