import "server-only";
import { AuthError } from "./errors";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { beginAttempt } from "./rate-limit";
import { findPasswordHash, findUserByEmail, type PublicUser } from "./users";

/**
 * The one password check of login: a rate-limit slot is reserved first, then
 * the same work is done for a known or unknown e-mail (a real or a dummy
 * bcrypt compare), then the same answer is given for either failure, so
 * neither status, body nor timing reveals whether an account exists.
 */
export async function checkCredentials(email: string, password: string, address: string): Promise<PublicUser> {
  const attempt = await beginAttempt({ account: email, address });
  const user = await findUserByEmail(email);
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !ok) {
    await attempt.failed();
    throw new AuthError("invalid_credentials");
  }
  await attempt.succeeded();
  return { id: user.id, email: user.email, name: user.name };
}

/**
 * Re-checks the password of a signed-in user (fresh-login, password change).
 * Counted against the same account key as login: a stolen session cookie is
 * no shortcut for guessing the password.
 */
export async function checkUserPassword(user: { id: string; email: string }, password: string, address: string): Promise<void> {
  const attempt = await beginAttempt({ account: user.email, address });
  const row = await findPasswordHash(user.id);
  if (!row) throw new AuthError("token_revoked");
  if (!(await verifyPassword(password, row.passwordHash))) {
    await attempt.failed();
    throw new AuthError("invalid_credentials");
  }
  await attempt.succeeded();
}
