import "server-only";
import { recordFailedSignIn } from "../activity/failed-sign-in";
import { AuthError } from "../http/errors";
import { knownAddressKey } from "./known-address";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { beginAttempt, remainingHeaders, type Attempt } from "./rate-limit";
import { findPasswordHash, findUserByEmail, type PublicUser } from "./users";

/** A checked password, and the credential version it was checked under (decision 602). */
export interface CheckedCredentials {
  user: PublicUser;
  credentialVersion: number;
}

/** A check that never ran (shed by the bcrypt queue, the database failing) counts as nothing. */
async function checked<T>(attempt: Attempt, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    await attempt.abandoned().catch(() => {});
    throw error;
  }
}

/**
 * The one password check of login: a rate-limit slot is reserved first, then
 * the same work is done for a known or unknown e-mail (a real or a dummy
 * bcrypt compare), then the same answer is given for either failure, so
 * neither status, body nor timing reveals whether an account exists.
 * An address this account has signed in from before keeps a guessing budget
 * of its own (known-address.ts), so an attacker cannot lock the owner out.
 *
 * The credential version is read with the hash: a session created from this
 * check carries it, so if the password changes while this login is between
 * its check and its session insert, the session is born behind and refused.
 */
export async function checkCredentials(email: string, password: string, address: string, userAgent = ""): Promise<CheckedCredentials> {
  const user = await findUserByEmail(email);
  const attempt = await beginAttempt({ account: email, address, trusted: await knownAddressKey(user?.id, address) });
  const ok = await checked(attempt, () => (user ? verifyPassword(password, user.passwordHash) : verifyAgainstDummy(password)));
  if (!user || !ok) {
    // The account's owner sees the attempt (one event per burst); unknown e-mails have no one to tell.
    await Promise.all([attempt.failed(), user && recordFailedSignIn(user.id, { ip: address, userAgent })]);
    throw new AuthError("invalid_credentials");
  }
  await attempt.succeeded();
  // The caller remembers the address (known-address.ts) once the sign-in is
  // complete: a right password with the authenticator code still owed must
  // not earn the address the owner's own guessing budget.
  return { user: { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified }, credentialVersion: user.credentialVersion };
}

/**
 * Re-checks the password of a signed-in user (fresh-login, password change).
 * The live session is the trusted client: it is limited by its own key, so
 * an attacker locking the account from outside cannot stop its owner from
 * confirming a password, and a stolen session cookie still buys no more
 * guesses than the account limit allows. Failures count against the account
 * as login's do. Returns the credential version the password was checked under.
 */
export async function checkUserPassword(user: { id: string; email: string }, sessionId: string, password: string, address: string): Promise<number> {
  const attempt = await beginAttempt({ account: user.email, address, trusted: `session:${sessionId}` });
  const row = await checked(attempt, () => findPasswordHash(user.id));
  if (!row) {
    await attempt.abandoned();
    throw new AuthError("token_revoked");
  }
  if (!(await checked(attempt, () => verifyPassword(password, row.passwordHash)))) {
    throw new AuthError("invalid_credentials", remainingHeaders(await attempt.failed()));
  }
  await attempt.succeeded();
  return row.credentialVersion;
}
