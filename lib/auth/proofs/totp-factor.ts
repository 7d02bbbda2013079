import "server-only";
import { recordEvent } from "../../activity/record";
import { randomUUID } from "node:crypto";
import { getDb } from "../../db";
import { AuthError } from "../../http/errors";
import { open, seal } from "../secret-box";
import { newRecoveryCodes } from "./recovery-codes";
import { enrollmentView, matchingStep, newTotpSecret } from "./totp";

/**
 * The authenticator factor's life: set-up (not active), turned on by a
 * correct code (recovery codes issued in the same transaction), used once per
 * step, turned off. Each state change is one function with one transaction,
 * so a security-activity line can be written inside it.
 */

async function readSecret(userId: string, sealed: string): Promise<string> {
  // The user id is the associated data: a sealed seed moved to another row does not open.
  return open("totp-secret", sealed, userId);
}

/** A new secret every call: an unconfirmed one is replaced, a confirmed one must be turned off first. */
export async function startTotpEnrollment(user: { id: string; email: string }) {
  const secret = newTotpSecret();
  const sealed = await seal("totp-secret", secret, user.id);
  await getDb().$transaction(async (tx) => {
    const existing = await tx.totpFactor.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } });
    if (existing?.confirmedAt) throw new AuthError("invalid_request", { description: "Two-step sign-in is already on. Turn it off first." });
    await tx.totpFactor.upsert({
      where: { userId: user.id },
      create: { userId: user.id, secret: sealed },
      update: { secret: sealed, lastUsedStep: 0, createdAt: new Date() },
    });
  });
  return enrollmentView(secret, user.email);
}

const wrongCode = () =>
  new AuthError("invalid_request", { fields: { code: "That code is not right. Check your device's clock and enter the newest code." } });

/** State change "enabled": the first correct code turns the factor on and issues 10 recovery codes, shown once. */
export async function enableTotp(userId: string, code: string, now = Date.now()): Promise<string[]> {
  const db = getDb();
  const factor = await db.totpFactor.findUnique({ where: { userId }, select: { secret: true, confirmedAt: true } });
  if (!factor || factor.confirmedAt) throw new AuthError("invalid_request", { description: "Start the set-up first: there is no authenticator waiting for a code." });
  const step = matchingStep(await readSecret(userId, factor.secret), code, now);
  if (step === null) throw wrongCode();
  const { codes, hashes } = newRecoveryCodes();
  await db.$transaction(async (tx) => {
    // Compare-and-set on the very secret the code was checked against: a
    // set-up restarted in another tab meanwhile is not turned on by this code.
    const { count } = await tx.totpFactor.updateMany({
      where: { userId, secret: factor.secret, confirmedAt: null },
      data: { confirmedAt: new Date(now), lastUsedStep: step },
    });
    if (count !== 1) throw new AuthError("invalid_request", { description: "The set-up was restarted meanwhile. Scan the new code." });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ id: randomUUID(), userId, codeHash })) });
    await recordEvent(tx, { userId, type: "totp_enabled" });
  });
  return codes;
}

/** State change "disabled": the factor, its recovery codes and any sign-in waiting for a code go together. */
export async function disableTotp(userId: string): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.totpFactor.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.pendingSignIn.deleteMany({ where: { userId } });
    if (count === 1) await recordEvent(tx, { userId, type: "totp_disabled" });
    return count === 1;
  });
}

/**
 * Accepts an authenticator code at most once. The step the code belongs to is
 * written with a compare-and-set (`lastUsedStep < step`), so of two requests
 * carrying the same code (a replay, or two tabs at once) exactly one passes,
 * on every instance; an older code of the window is refused too.
 */
export async function acceptTotpCode(userId: string, code: string, now = Date.now()): Promise<boolean> {
  const db = getDb();
  const factor = await db.totpFactor.findUnique({ where: { userId }, select: { secret: true, confirmedAt: true } });
  if (!factor?.confirmedAt) return false;
  const step = matchingStep(await readSecret(userId, factor.secret), code, now);
  if (step === null) return false;
  const { count } = await db.totpFactor.updateMany({
    where: { userId, confirmedAt: { not: null }, lastUsedStep: { lt: step } },
    data: { lastUsedStep: step },
  });
  return count === 1;
}

export async function hasTotp(userId: string): Promise<boolean> {
  const factor = await getDb().totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return Boolean(factor?.confirmedAt);
}
