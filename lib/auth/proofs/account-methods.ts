import "server-only";
import { getDb } from "../../db";

/** The proofs an account can give in the "Confirm it's you" dialog. */
export type AccountMethod = "password" | "passkey" | "totp";

/**
 * Read only when a route refuses a token (the `methods` of
 * `fresh_token_required`) or asks for level multi_factor: never on the hot
 * path of an ordinary authenticated request.
 */
export async function accountMethods(userId: string): Promise<AccountMethod[]> {
  const db = getDb();
  const [passkeys, totp] = await Promise.all([
    db.passkey.count({ where: { userId } }),
    db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
  ]);
  const methods: AccountMethod[] = ["password"];
  if (passkeys > 0) methods.push("passkey");
  if (totp?.confirmedAt) methods.push("totp");
  return methods;
}
