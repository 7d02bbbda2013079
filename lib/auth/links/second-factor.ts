import "server-only";
import type { Proof } from "../proofs/proof";
import { verifySecondFactor, type SecondFactorInput } from "../proofs/second-factor";

export type { SecondFactorInput };

/**
 * The reset's second step. A reset link proves only the mailbox; on an
 * account with a confirmed authenticator that must not be enough, or a
 * stolen mailbox would undo the second factor. So, through the one
 * second-step check (lib/auth/proofs/second-factor.ts):
 *
 * - no confirmed TotpFactor → `null` (the link is the whole proof);
 * - a confirmed one and neither `code` nor `recoveryCode` → 401
 *   `second_factor_required` (the link stays unused, so the user can retry);
 * - a wrong, replayed or used code → 401 `invalid_credentials`, counted
 *   against the account's and the address's limits like login's second step;
 * - a right one → its Proof (["totp"] or ["recovery_code"]).
 *
 * Called before the link is spent and before the password is hashed.
 */
export async function assertSecondFactorForReset(user: { id: string }, input: SecondFactorInput, address: string): Promise<Proof | null> {
  return verifySecondFactor(user.id, input, { address });
}
