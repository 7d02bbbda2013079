import "server-only";
import { createHash } from "node:crypto";
import { getDb } from "../db";
import { recordEvent, type ClientInfo } from "./record";

/** One `sign_in_failed` event per account and address in each window of this length. */
export const FAILED_SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/**
 * A wrong password for an existing account, as one event per burst: ten
 * guesses in a minute are one line in the user's list, not ten. The id is
 * derived from (account, address, 15-minute window), so the first failure of
 * a window inserts it and every later one collides with it on the primary
 * key: exactly one per window on every provider and every instance, with no
 * read first and no race between parallel guesses.
 */
export async function recordFailedSignIn(userId: string, client: ClientInfo, now = Date.now()): Promise<void> {
  const window = Math.floor(now / FAILED_SIGN_IN_WINDOW_MS);
  const id = `f-${createHash("sha256").update(`${userId}\n${client.ip}\n${window}`).digest("hex").slice(0, 32)}`;
  try {
    await recordEvent(getDb(), { id, userId, type: "sign_in_failed", ...client });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
