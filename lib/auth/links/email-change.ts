import "server-only";
import { recordEvent, type ClientInfo, type NewEvent } from "../../activity/record";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { emailChangeConfirmMail, emailChangeNoticeMail } from "../../mail/messages";
import { queueMail } from "../../mail/send";
import { AuthError } from "../../http/errors";
import { clientAddress, requestClient } from "../client-address";
import { knownAddressPrefix } from "../known-address";
import { limitProbing } from "../rate-limit";
import { isUniqueViolation, PUBLIC_USER_SELECT, type PublicUser } from "../users";
import { takeMailBudget } from "./limits";
import { linkOrigin } from "./origin";
import { findLiveLink, issueLinkToken, useLink } from "./tokens";

/**
 * The one entry for an e-mail change, shared by PUT /api/account/email and
 * the `changeEmail` Server Action (app/account/actions.ts), so both hold the
 * same limits, record the same event and send the same mails. The caller has
 * checked the session is fresh and validated `email` (emailSchema).
 *
 * A 409 says the address has an account, so, as on register, each one counts
 * as a failure against the client address, and against this user ("user:"
 * keys never collide with e-mails): one signed-in account is no faster a way
 * to list who has signed up than register is. Mails it sends are bounded by
 * the account's mail budget (links/limits.ts).
 */
export async function startEmailChange(request: Request, { user, sessionId }: { user: { id: string; email: string }; sessionId: string }, email: string): Promise<{ pendingEmail: string }> {
  const keys = { account: `user:${user.id}`, address: clientAddress(request) };
  const event = { userId: user.id, type: "email_change_requested", ...requestClient(request), sessionId, detail: { email } } as const;
  return limitProbing(keys, () => requestEmailChange(user, email, linkOrigin(request), event));
}

/**
 * Nothing changes yet: the NEW address gets a link,
 * and the OLD one a notice (with the way back: a password reset, which also
 * voids the pending link by bumping the credential version). An account
 * taken over through a stolen session therefore cannot move its e-mail (and
 * with it, password recovery) to the thief without the owner hearing of it,
 * and never to an address the thief does not read.
 *
 * An address already taken is refused now (409, counted by startEmailChange
 * like register's); one taken later is refused when the link is used.
 */
export async function requestEmailChange(user: { id: string; email: string }, newEmail: string, origin: string, event?: NewEvent): Promise<{ pendingEmail: string }> {
  if (newEmail === user.email) throw new AuthError("invalid_request", { fields: { email: "This is already your email." } });
  const db = getDb();
  if (await db.user.findUnique({ where: { email: newEmail }, select: { id: true } })) throw new AuthError("email_taken");
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { credentialVersion: true } });
  const token = await db.$transaction(async (tx) => {
    const issued = await issueLinkToken(tx, { userId: user.id, kind: "email_change", credentialVersion: row.credentialVersion, newEmail });
    if (event) await recordEvent(tx, event); // `email_change_requested`, with the link or not at all
    return issued;
  });
  // Over the account's mail budget the answer is the same and nothing is sent.
  if (await takeMailBudget(user.id)) {
    const ttlSeconds = getConfig().AUTH_EMAIL_TOKEN_TTL;
    queueMail("email_change", emailChangeConfirmMail({ to: newEmail, origin, token, ttlSeconds }));
    queueMail("email_change_notice", emailChangeNoticeMail({ to: user.email, origin, newEmail }));
  }
  return { pendingEmail: newEmail };
}

/**
 * POST /api/auth/verify-email, for both kinds of address link, in one
 * transaction (the activity log adds `email_verified` / `email_changed`):
 *
 * - verify_email: marks the address verified, if it is still the account's;
 * - email_change: moves the account to the new address, verified. The unique
 *   index on User.email decides a race with a registration (or another
 *   change) of the same address: whoever commits second gets `email_taken`,
 *   and the link stays unused.
 */
export async function verifyEmailLink(token: string, client?: ClientInfo): Promise<PublicUser> {
  const link = await findLiveLink(token, ["verify_email", "email_change"]);
  const { id, credentialVersion } = link.user;
  try {
    return await getDb().$transaction(async (tx) => {
      await useLink(tx, link);
      const where = link.kind === "verify_email" ? { id, credentialVersion, email: link.newEmail ?? "" } : { id, credentialVersion };
      const data = link.kind === "verify_email" ? { emailVerified: true } : { email: link.newEmail ?? "", emailVerified: true };
      const { count } = await tx.user.updateMany({ where, data });
      if (count !== 1) throw new AuthError("invalid_link");
      const verified = link.kind === "verify_email";
      await recordEvent(tx, { userId: id, type: verified ? "email_verified" : "email_changed", ...client, detail: verified ? {} : { email: link.newEmail ?? "" } });
      if (link.kind === "email_change") {
        await tx.emailToken.deleteMany({ where: { userId: id, kind: "verify_email", usedAt: null } });
        // Trust earned under the old address does not carry over (decision 605).
        await tx.rateLimit.deleteMany({ where: { key: { startsWith: knownAddressPrefix(id) } } });
      }
      return tx.user.findUniqueOrThrow({ where: { id }, select: PUBLIC_USER_SELECT });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AuthError("email_taken", { description: "Another account uses this email now. Ask for a new link for a different address." });
    throw error;
  }
}

/** What /account shows beside the current address: a change still waiting for its link. */
export async function pendingEmailChange(userId: string): Promise<string | null> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { credentialVersion: true } });
  if (!user) return null;
  const pending = await db.emailToken.findFirst({
    where: { userId, kind: "email_change", usedAt: null, expiresAt: { gt: new Date() }, credentialVersion: user.credentialVersion },
    select: { newEmail: true },
    orderBy: { createdAt: "desc" },
  });
  return pending?.newEmail ?? null;
}
