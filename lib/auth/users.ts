import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { User } from "../shared/api-types";
import { INPUT_MESSAGES } from "../shared/field-messages";
import { nameProblem } from "../shared/input-rules";
import { getDb } from "../db";
import { AuthError } from "../http/errors";
import { forgetAddresses } from "./known-address";
import { hashPassword } from "./password";

/** A user as the API shows it: never the password hash. */
export type PublicUser = User;

export const PUBLIC_USER_SELECT = { id: true, email: true, name: true, emailVerified: true } as const;

/**
 * One address, one account: trimmed, normalised and case-folded before it is
 * stored or looked up, so "Ann@X.com" and "ann@x.com " (or a decomposed "é")
 * cannot become two accounts. NFKC (whose output is also NFC) additionally
 * folds compatibility forms, so a fullwidth "ａｎｎ@ｘ.com" typed with an IME
 * is ann@x.com too, as IDNA already treats the domain (decision 402).
 *
 * Lower-casing is not case folding: "ΑΣ-x" lower-cases to "ας-x" (final
 * sigma) while "ασ-x" stays, two accounts for one address. After NFKC, what
 * Unicode's full case folding adds to toLowerCase() is the final sigma
 * (ς → σ) and ß → ss; ß is kept as its own letter, as IDNA2008 and German
 * mail hosts keep it (straße and strasse are two mailboxes, and mail goes to
 * the stored address), while capital ẞ lower-cases to ß (decision 606).
 */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase().replace(/\u03c2/g, "\u03c3").normalize("NFKC");
}

/**
 * Characters that render as nothing (or reorder what is around them): format
 * characters (\p{Cf}: zero-width space and joiners, soft hyphen, word joiner,
 * byte order mark, every bidi control such as U+202E) and the other default
 * ignorables (variation selectors, Hangul fillers). Each would make a second
 * account that looks exactly like the first, so they are refused, not removed:
 * silently removing them would sign a look-alike in as the real address.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

// Internationalised addresses (josé@exemple.fr) are real addresses, so letters
// of any script are allowed; spaces, quotes, brackets and dot-less domains are not.
const EMAIL_PATTERN = /^[^\s\p{Cc}@"<>()[\],;:\\]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

export const emailSchema = z
  .string()
  .max(320, "Use at most 320 characters.")
  .refine((email) => !INVISIBLE.test(email), "Remove invisible characters (such as zero-width spaces or direction marks).")
  .transform(normalizeEmail)
  .pipe(z.email({ pattern: EMAIL_PATTERN, message: "Enter a valid e-mail address." }));

export const nameSchema = z
  .string()
  .max(100, "Use at most 100 characters.")
  // Control characters (NUL above all, which PostgreSQL cannot store) are refused.
  .refine((name) => !/\p{Cc}/u.test(name), "Use letters, digits and punctuation only.")
  .refine((name) => nameProblem(name) === null, INPUT_MESSAGES.blankName)
  .transform((name) => name.trim().normalize("NFC"));

/** Prisma's unique-constraint error, whatever the provider. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Prisma's foreign-key error (P2003): the row it points at is gone. */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2003";
}

export async function createUser(input: { email: string; password: string; name: string }): Promise<PublicUser & { credentialVersion: number }> {
  // Hash first: a taken address costs the same time as a free one.
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().user.create({
      data: { id: randomUUID(), email: input.email, name: input.name, passwordHash },
      select: { ...PUBLIC_USER_SELECT, credentialVersion: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AuthError("email_taken");
    throw error;
  }
}

/** The hash and its credential version are read together: a session is created under the version whose password was checked. */
export function findUserByEmail(email: string) {
  return getDb().user.findUnique({ where: { email }, select: { ...PUBLIC_USER_SELECT, passwordHash: true, credentialVersion: true } });
}

export function findPasswordHash(userId: string) {
  return getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true, credentialVersion: true } });
}

export function updateName(userId: string, name: string): Promise<PublicUser> {
  return getDb().user.update({ where: { id: userId }, data: { name }, select: PUBLIC_USER_SELECT });
}

/**
 * Sessions go with the user (ON DELETE CASCADE), so every token dies at once;
 * the addresses it was trusted from go in the same transaction.
 */
export async function deleteUser(userId: string): Promise<void> {
  await getDb().$transaction([getDb().user.delete({ where: { id: userId } }), forgetAddresses(userId)]);
}
