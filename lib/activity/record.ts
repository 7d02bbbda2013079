import "server-only";
import { randomUUID } from "node:crypto";
import { getDb, type Database } from "../db";
import type { Prisma } from "../generated/sqlite/client";
import type { SecurityEventDetail, SecurityEventType } from "../shared/security-events";

/** A transaction client (or the client itself, for an event that stands alone). */
export type EventWriter = Prisma.TransactionClient | Database;

/** Where a change came from. `requestClient(request)` in lib/auth/client-address.ts builds it. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export interface NewEvent extends Partial<ClientInfo> {
  userId: string;
  type: SecurityEventType;
  /** The session that made the change (for a sign-in, the new one). */
  sessionId?: string | null;
  detail?: SecurityEventDetail;
  /** Only for events that must not repeat (see failed-sign-in.ts); random otherwise. */
  id?: string;
}

/** Stored as text on both providers; empty when there is nothing to say. */
function encodeDetail(detail: SecurityEventDetail | undefined): string {
  return detail && Object.keys(detail).length ? JSON.stringify(detail) : "";
}

/**
 * Appends one event. Call it with the transaction client of the change it
 * records, so the event and the change commit or roll back together:
 *
 *   await db.$transaction(async (tx) => {
 *     await tx.passkey.create({ … });
 *     await recordEvent(tx, { userId, type: "passkey_added", ...requestClient(request), sessionId });
 *   });
 *
 * It returns Prisma's lazy promise, so it also fits a batch:
 * `db.$transaction([change, recordEvent(db, event)])`. Events are never
 * updated or deleted one by one: only the account's deletion (cascade) and the
 * retention cleanup remove them.
 */
export function recordEvent(tx: EventWriter, event: NewEvent): Prisma.PrismaPromise<{ id: string }> {
  return tx.securityEvent.create({
    data: {
      id: event.id ?? randomUUID(),
      userId: event.userId,
      type: event.type,
      at: new Date(),
      // Bounded like Session.userAgent: a client picks these bytes.
      userAgent: (event.userAgent ?? "").slice(0, 300),
      ip: (event.ip ?? "").slice(0, 100),
      sessionId: event.sessionId ?? null,
      detail: encodeDetail(event.detail),
    },
    select: { id: true },
  });
}

/**
 * Runs a change and records its event in one transaction. `outcome` looks at
 * the change's result: false means nothing happened (no event), an object
 * adds to the event's detail (e.g. how many sessions were revoked). Without
 * an event the change runs as before, with no transaction around it, so
 * callers that record nothing pay nothing.
 */
export async function withEvent<T>(
  event: NewEvent | undefined,
  change: (tx: EventWriter) => Promise<T>,
  outcome: (result: T) => boolean | SecurityEventDetail = () => true,
): Promise<T> {
  if (!event) return change(getDb());
  return getDb().$transaction(async (tx) => {
    const result = await change(tx);
    const said = outcome(result);
    if (said !== false) await recordEvent(tx, said === true ? event : { ...event, detail: { ...event.detail, ...said } });
    return result;
  });
}
