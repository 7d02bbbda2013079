import "server-only";
import { z } from "zod";
import { getDb } from "../db";
import {
  ACTIVITY_PAGE_SIZE,
  isSecurityEventType,
  type SecurityEventDetail,
  type SecurityEventItem,
} from "../shared/security-events";
import { deviceName } from "./device";

// Only known keys leave the server, whatever a future writer stored.
const detailSchema = z.object({
  methods: z.array(z.enum(["password", "passkey", "totp", "recovery_code"])).optional(),
  count: z.number().int().nonnegative().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
});

function decodeDetail(stored: string): SecurityEventDetail {
  if (!stored) return {};
  try {
    const parsed = detailSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export interface ListOptions {
  /** An event id from the previous page: only older events come back. */
  before?: string;
  /** The caller's session, for `current`. */
  currentSessionId: string;
  limit?: number;
}

/**
 * A user's events, newest first, one page at a time. The order is (at, id)
 * descending, a total order, so paging is stable even when events share a
 * millisecond: the next page starts strictly after the `before` event in that
 * order. An unknown `before` (someone else's event, or one the retention
 * cleanup removed) is an empty page, never another user's data.
 */
export async function listEvents(userId: string, options: ListOptions): Promise<SecurityEventItem[]> {
  const db = getDb();
  let after = {};
  if (options.before !== undefined) {
    const cursor = await db.securityEvent.findFirst({ where: { id: options.before, userId }, select: { id: true, at: true } });
    if (!cursor) return [];
    after = { OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: cursor.id } }] };
  }
  const rows = await db.securityEvent.findMany({
    where: { userId, ...after },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: options.limit ?? ACTIVITY_PAGE_SIZE,
    select: { id: true, type: true, at: true, userAgent: true, ip: true, sessionId: true, detail: true },
  });
  return rows.flatMap((row) =>
    // A type this build does not know (written by a newer one) is skipped rather than mislabelled.
    isSecurityEventType(row.type)
      ? [
          {
            id: row.id,
            type: row.type,
            at: row.at.toISOString(),
            userAgent: row.userAgent,
            ip: row.ip,
            sessionId: row.sessionId,
            current: row.sessionId !== null && row.sessionId === options.currentSessionId,
            device: deviceName(row.userAgent),
            detail: decodeDetail(row.detail),
          },
        ]
      : [],
  );
}
