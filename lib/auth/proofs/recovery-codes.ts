import "server-only";
import { recordEvent } from "../../activity/record";
import { createHash, randomInt } from "node:crypto";
import { getDb } from "../../db";

/**
 * Recovery codes: 10 per account, each 16 characters from a 32-symbol
 * alphabet (80 random bits), shown once as `xxxx-xxxx-xxxx-xxxx`.
 *
 * Stored as SHA-256, not bcrypt, on purpose: a slow hash exists to protect
 * LOW-entropy secrets (passwords) from offline guessing. With 2^80 possible
 * codes, a stolen table is as hard to reverse with one SHA-256 per guess as
 * a 128-bit key is to brute-force with a slow one. A fast, unsalted hash
 * also lets the lookup be an indexed equality (`codeHash = ?`) used in a
 * single compare-and-set, instead of ten bcrypt compares per attempt (which
 * would also hand an attacker a cheap way to burn the server's CPU).
 */
export const RECOVERY_CODE_COUNT = 10;
// 32 symbols (5 bits each) without the look-alikes 0/O and 1/I; case-insensitive on input.
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const LENGTH = 16;

export function newRecoveryCode(): string {
  let raw = "";
  for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return raw.match(/.{4}/g)!.join("-");
}

/** What the user typed, as stored: case, spaces and dashes do not matter. */
export function normaliseRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

export function hashRecoveryCode(input: string): string {
  return createHash("sha256").update(`fresh-auth recovery:${normaliseRecoveryCode(input)}`).digest("hex");
}

export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/**
 * State change "recovery code used": marks the code used with a
 * compare-and-set (`usedAt IS NULL`), so a code works once, ever, even when
 * two requests carry it at the same moment.
 */
export async function useRecoveryCode(userId: string, input: string): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.recoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(input), usedAt: null },
      data: { usedAt: new Date() },
    });
    if (count === 1) await recordEvent(tx, { userId, type: "recovery_code_used" });
    return count === 1;
  });
}

export async function remainingRecoveryCodes(userId: string): Promise<number> {
  return getDb().recoveryCode.count({ where: { userId, usedAt: null } });
}
