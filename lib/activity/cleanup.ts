import "server-only";
import { getDb } from "../db";
import { ACTIVITY_RETENTION_DAYS } from "../shared/security-events";

const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes every event older than the retention period, for all users.
 * Idempotent and needs no lock: several instances running it at once delete
 * the same rows, and the (at) index keeps it a range scan.
 */
export async function deleteExpiredEvents(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - ACTIVITY_RETENTION_DAYS * DAY_MS);
  const { count } = await getDb().securityEvent.deleteMany({ where: { at: { lt: cutoff } } });
  return count;
}
