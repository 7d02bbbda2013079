import "server-only";
import { AuthError } from "./errors";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { assertAttemptAllowed, recordFailedAttempt } from "./rate-limit";
import { findPasswordHash, findUserByEmail, type PublicUser } from "./users";

/**
 * The one password check of login: rate limits first, then the same work for
 * a known or unknown e-mail, then the same answer for either failure, so
 * neither status, body nor timing reveals whether an account exists.
 */
export async function checkCredentials(email: string, password: string, address: string): Promise<PublicUser> {
  const keys = { account: email, address };
  await assertAttemptAllowed(keys);
  const user = await findUserByEmail(email);
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !ok) {
    await recordFailedAttempt(keys);
    throw new AuthError("invalid_credentials");
  }
  return { id: user.id, email: user.email, name: user.name };
}

/** Re-checks the password of a signed-in user (fresh-login, password change). */
export async function checkUserPassword(user: { id: string; email: string }, password: string, address: string): Promise<void> {
  const keys = { account: user.email, address };
  await assertAttemptAllowed(keys);
  const row = await findPasswordHash(user.id);
  if (!row) throw new AuthError("token_revoked");
  if (!(await verifyPassword(password, row.passwordHash))) {
    await recordFailedAttempt(keys);
    throw new AuthError("invalid_credentials");
  }
}
