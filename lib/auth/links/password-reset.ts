import "server-only";
import { recordEvent, type ClientInfo } from "../../activity/record";
import { getConfig } from "../../config";
import { getDb, type Transaction } from "../../db";
import { log } from "../../log";
import { passwordResetDoneMail, passwordResetMail } from "../../mail/messages";
import { queueMail } from "../../mail/send";
import { hashPassword } from "../password";
import { AuthError } from "../../http/errors";
import { proofOf } from "../proofs/proof";
import { createSession, type IssuedSession } from "../sessions";
import { PUBLIC_USER_SELECT, type PublicUser } from "../users";
import { takeMailBudget } from "./limits";
import { assertSecondFactorForReset, type SecondFactorInput } from "./second-factor";
import { findLiveLink, issueLinkToken, useLink } from "./tokens";

/**
 * POST /api/auth/password-reset, AFTER the response (the route runs it in
 * Next's `after()`, decision 700): whether the address has an account,
 * whether its mail budget is spent, and how long the database and the mail
 * server take can then show neither in the answer nor in its timing.
 * (SQLite's driver is synchronous, so merely not awaiting this would still
 * run the lookup before the answer is written.) Never rejects: failures are
 * logged, the caller has long been answered.
 */
export async function sendPasswordResetLink(email: string, origin: string): Promise<void> {
  await prepareResetLink(email, origin).catch((error) => log.error({ err: error }, "password reset: could not prepare the link"));
}

async function prepareResetLink(email: string, origin: string): Promise<void> {
  const user = await getDb().user.findUnique({ where: { email }, select: { id: true, email: true, credentialVersion: true } });
  if (!user || !(await takeMailBudget(user.id))) return;
  const token = await getDb().$transaction((tx) => issueLinkToken(tx, { userId: user.id, kind: "password_reset", credentialVersion: user.credentialVersion }));
  queueMail("password_reset", passwordResetMail({ to: user.email, origin, token, ttlSeconds: getConfig().AUTH_EMAIL_TOKEN_TTL }));
}

/**
 * The one place a reset changes credentials, in one transaction (the security
 * activity log adds its `password_reset` event here): the new hash; the
 * credential version bumped, which voids every e-mail link issued before and
 * (with the credential-version check on sessions) any session started under
 * the old password; the address marked verified (the link came through it);
 * and EVERY session revoked, this device's old one included, since the new
 * session is created afterwards. The compare-and-set on the version makes a
 * second reset or password change racing this one lose cleanly.
 */
async function replacePasswordAndEndSessions(tx: Transaction, user: { id: string; credentialVersion: number }, passwordHash: string, client: ClientInfo): Promise<PublicUser> {
  const { count } = await tx.user.updateMany({
    where: { id: user.id, credentialVersion: user.credentialVersion },
    data: { passwordHash, credentialVersion: { increment: 1 }, emailVerified: true },
  });
  if (count !== 1) throw new AuthError("invalid_link");
  await tx.session.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: "password_reset" } });
  await recordEvent(tx, { userId: user.id, type: "password_reset", ...client });
  return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: PUBLIC_USER_SELECT });
}

export interface ResetInput extends SecondFactorInput {
  token: string;
  newPassword: string;
}

/** POST /api/auth/password-reset/confirm: a new password and a new, fresh session here. */
export async function confirmPasswordReset(input: ResetInput, context: ClientInfo & { origin: string }): Promise<{ user: PublicUser; issued: IssuedSession }> {
  const link = await findLiveLink(input.token, ["password_reset"]);
  const secondFactor = await assertSecondFactorForReset(link.user, input, context.ip);
  const passwordHash = await hashPassword(input.newPassword);
  const user = await getDb().$transaction(async (tx) => {
    await useLink(tx, link);
    return replacePasswordAndEndSessions(tx, link.user, passwordHash, context);
  });
  // The new password was just chosen by the holder of the mailbox: a fresh
  // session whose proof is that password, plus the code when TOTP is on.
  // Under the credential version the reset just set (sessions of older ones are refused).
  const proof = proofOf(secondFactor ? ["password", ...secondFactor.methods] : ["password"]);
  const issued = await createSession(user.id, { ip: context.ip, userAgent: context.userAgent }, proof, link.user.credentialVersion + 1);
  queueMail("password_reset_done", passwordResetDoneMail({ to: user.email, origin: context.origin }));
  return { user, issued };
}
