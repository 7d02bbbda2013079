import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { User } from "../shared/api-types";
import { getDb } from "../db";
import { AuthError } from "./errors";
import { hashPassword } from "./password";

/** A user as the API shows it: never the password hash. */
export type PublicUser = User;

export const PUBLIC_USER_SELECT = { id: true, email: true, name: true, emailVerified: true } as const;

/**
 * One address, one account: trimmed, normalised and lower-cased before it is
 * stored or looked up, so "Ann@X.com" and "ann@x.com " (or a decomposed "é")
 * cannot become two accounts. NFKC (whose output is also NFC) additionally
 * folds compatibility forms, so a fullwidth "ａｎｎ@ｘ.com" typed with an IME
 * is ann@x.com too, as IDNA already treats the domain (decision 402).
 */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

// Internationalised addresses (josé@exemple.fr) are real addresses, so letters
// of any script are allowed; spaces, quotes, brackets and dot-less domains are not.
const EMAIL_PATTERN = /^[^\s\p{Cc}@"<>()[\],;:\\]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

export const emailSchema = z
  .string()
  .max(320, "Use at most 320 characters.")
  .transform(normalizeEmail)
  .pipe(z.email({ pattern: EMAIL_PATTERN, message: "Enter a valid e-mail address." }));

export const nameSchema = z
  .string()
  .max(100, "Use at most 100 characters.")
  // Control characters (NUL above all, which PostgreSQL cannot store) are refused.
  .refine((name) => !/\p{Cc}/u.test(name), "Use letters, digits and punctuation only.")
  .transform((name) => name.trim().normalize("NFC"));

/** Prisma's unique-constraint error, whatever the provider. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export async function createUser(input: { email: string; password: string; name: string }): Promise<PublicUser> {
  // Hash first: a taken address costs the same time as a free one.
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().user.create({
      data: { id: randomUUID(), email: input.email, name: input.name, passwordHash },
      select: PUBLIC_USER_SELECT,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AuthError("email_taken");
    throw error;
  }
}

export function findUserByEmail(email: string) {
  return getDb().user.findUnique({ where: { email }, select: { ...PUBLIC_USER_SELECT, passwordHash: true } });
}

export function findPasswordHash(userId: string) {
  return getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
}

export function updateName(userId: string, name: string): Promise<PublicUser> {
  return getDb().user.update({ where: { id: userId }, data: { name }, select: PUBLIC_USER_SELECT });
}

export async function changeEmail(userId: string, email: string): Promise<PublicUser> {
  try {
    return await getDb().user.update({ where: { id: userId }, data: { email }, select: PUBLIC_USER_SELECT });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AuthError("email_taken");
    throw error;
  }
}

export async function setPassword(userId: string, password: string): Promise<void> {
  // A new credential version ends every pending sign-in made with the old password.
  await getDb().user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password), credentialVersion: { increment: 1 } } });
}

/** Sessions go with the user (ON DELETE CASCADE), so every token dies at once. */
export async function deleteUser(userId: string): Promise<void> {
  await getDb().user.delete({ where: { id: userId } });
}
