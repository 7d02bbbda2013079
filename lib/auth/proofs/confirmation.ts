import "server-only";
import { checkUserPassword } from "../credentials";
import { AuthError } from "../../http/errors";
import { proofOf, type Proof } from "./proof";
import { verifySecondFactor, withPassword } from "./second-factor";

/**
 * "Confirm it's you" on a live session: one small function per kind of
 * proof the body of POST /api/auth/fresh-login can carry. Each checks its
 * proof against the session's user and answers the Proof that
 * `refreshFreshness` records. Attempts are limited under the session's own
 * key (see credentials.ts `checkUserPassword`) and count against the account.
 */
export interface Confirmer {
  user: { id: string; email: string };
  sessionId: string;
  address: string;
}

export async function confirmWithPassword(who: Confirmer, password: string): Promise<Proof> {
  await checkUserPassword(who.user, who.sessionId, password, who.address);
  return proofOf(["password"]);
}

/** An authenticator code alone: level "any" (one proof of presence). */
export async function confirmWithCode(who: Confirmer, code: string): Promise<Proof> {
  const proof = await verifySecondFactor(who.user.id, { code }, { address: who.address, trusted: `session:${who.sessionId}` });
  // No authenticator on this account: there is nothing a code could match.
  if (!proof) throw new AuthError("invalid_credentials", { description: "This account has no authenticator app." });
  return proof;
}

/**
 * Password and code in ONE request: the only way a confirmation reaches
 * level "multi_factor" without a passkey. Both are checked now, so the proof's
 * time is now for both; an older password check is never topped up by a
 * later code (that would stretch the password's window past AUTH_FRESH_TTL).
 */
export async function confirmWithPasswordAndCode(who: Confirmer, password: string, code: string): Promise<Proof> {
  await confirmWithPassword(who, password);
  return withPassword(await confirmWithCode(who, code));
}
