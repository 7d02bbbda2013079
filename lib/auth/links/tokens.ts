import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { getConfig } from "../../config";
import { getDb, type Transaction } from "../../db";
import { AuthError } from "../../http/errors";

export type LinkKind = "password_reset" | "verify_email" | "email_change";

/** 256 random bits (the contract asks for at least 128), URL-safe. */
const TOKEN_BYTES = 32;

/**
 * Only the SHA-256 of a link token is stored. A plain hash (no salt, no
 * bcrypt) is enough: the token is 256 random bits, so there is nothing to
 * brute-force, and an exact-match lookup on the hash stays one indexed read.
 * A database leak then yields no usable link.
 */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Creates the one live link of `kind` for the user and returns its token (the
 * only time it exists in clear). Older unused links of the same kind are
 * deleted in the same transaction: a newer link always voids the previous one.
 * `credentialVersion` is the user's at issue time; a password change or reset
 * bumps the user's, which voids every link issued before it.
 */
export async function issueLinkToken(
  tx: Transaction,
  input: { userId: string; kind: LinkKind; credentialVersion: number; newEmail?: string },
): Promise<string> {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  const now = new Date();
  await tx.emailToken.deleteMany({ where: { userId: input.userId, kind: input.kind, usedAt: null } });
  await tx.emailToken.create({
    data: {
      id: randomUUID(),
      userId: input.userId,
      kind: input.kind,
      tokenHash: hashLinkToken(token),
      newEmail: input.newEmail ?? null,
      credentialVersion: input.credentialVersion,
      createdAt: now,
      expiresAt: new Date(now.getTime() + getConfig().AUTH_EMAIL_TOKEN_TTL * 1000),
    },
  });
  return token;
}

export interface LiveLink {
  id: string;
  kind: LinkKind;
  newEmail: string | null;
  user: { id: string; email: string; name: string; credentialVersion: number };
}

/**
 * The link a token names, if it can still be used: known, of an expected
 * kind, unused, unexpired, and issued under the user's current credentials.
 * Every other case is the same `invalid_link`, so an answer never says which.
 */
export async function findLiveLink(token: string, kinds: LinkKind[]): Promise<LiveLink> {
  const row = await getDb().emailToken.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: {
      id: true,
      kind: true,
      newEmail: true,
      usedAt: true,
      expiresAt: true,
      credentialVersion: true,
      user: { select: { id: true, email: true, name: true, credentialVersion: true } },
    },
  });
  const live =
    row && kinds.includes(row.kind as LinkKind) && !row.usedAt && row.expiresAt > new Date() && row.credentialVersion === row.user.credentialVersion;
  if (!live) throw new AuthError("invalid_link");
  return { id: row.id, kind: row.kind as LinkKind, newEmail: row.newEmail, user: row.user };
}

/**
 * Marks the link used inside the caller's transaction, as a compare-and-set:
 * of two requests racing with the same token, exactly one gets past this.
 */
export async function useLink(tx: Transaction, link: LiveLink): Promise<void> {
  const { count } = await tx.emailToken.updateMany({
    where: { id: link.id, usedAt: null, expiresAt: { gt: new Date() }, credentialVersion: link.user.credentialVersion },
    data: { usedAt: new Date() },
  });
  if (count !== 1) throw new AuthError("invalid_link");
}
