import "server-only";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { log } from "../../log";
import { verifyEmailMail } from "../../mail/messages";
import { queueMail } from "../../mail/send";
import { takeMailBudget } from "./limits";
import { issueLinkToken } from "./tokens";

/**
 * Mails a link proving the user's CURRENT address (after registration, and on
 * "Resend verification email"). The address is stored with the link, so a
 * link for an address the account has since left proves nothing. Nothing is
 * sent to an address already verified, or over the account's mail budget.
 * Routes run it after their answer (`after()`); it never rejects.
 */
export async function sendVerificationLink(userId: string, origin: string): Promise<void> {
  await prepare(userId, origin).catch((error) => log.error({ err: error }, "verification: could not prepare the link"));
}

async function prepare(userId: string, origin: string): Promise<void> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerified: true, credentialVersion: true } });
  if (!user || user.emailVerified || !(await takeMailBudget(user.id))) return;
  const token = await getDb().$transaction((tx) =>
    issueLinkToken(tx, { userId: user.id, kind: "verify_email", credentialVersion: user.credentialVersion, newEmail: user.email }),
  );
  queueMail("verify_email", verifyEmailMail({ to: user.email, origin, token, ttlSeconds: getConfig().AUTH_EMAIL_TOKEN_TTL }));
}
