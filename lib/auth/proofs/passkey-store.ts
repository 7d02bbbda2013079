import "server-only";
import { recordEvent, type ClientInfo } from "../../activity/record";
import { randomUUID } from "node:crypto";
import { getDb } from "../../db";
import { AuthError } from "../../http/errors";
import { PUBLIC_USER_SELECT, type PublicUser } from "../users";
import type { PasskeyView } from "../../shared/api-types";

export type { PasskeyView };

/** What a verified registration stores: never anything the browser could not already see, bar the counter. */
export interface NewPasskey {
  credentialId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
}

/** The row an assertion is checked against. */
export interface StoredCredential {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  user: PublicUser;
  /** The user's credential version now: a session started from this passkey carries it (decision 602). */
  credentialVersion: number;
}

const VIEW_SELECT = { id: true, name: true, createdAt: true, lastUsedAt: true } as const;

function toView(row: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }): PasskeyView {
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null };
}

const splitTransports = (stored: string) => (stored ? stored.split(",") : []);

export async function listPasskeys(userId: string): Promise<PasskeyView[]> {
  const rows = await getDb().passkey.findMany({ where: { userId }, select: VIEW_SELECT, orderBy: { createdAt: "asc" } });
  return rows.map(toView);
}

/** For excludeCredentials / allowCredentials: the ids and transports, nothing secret. */
export async function credentialDescriptors(userId: string): Promise<{ id: string; transports: string[] }[]> {
  const rows = await getDb().passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } });
  return rows.map((row) => ({ id: row.credentialId, transports: splitTransports(row.transports) }));
}

export async function findCredential(credentialId: string): Promise<StoredCredential | null> {
  const row = await getDb().passkey.findUnique({
    where: { credentialId },
    select: { id: true, userId: true, credentialId: true, publicKey: true, counter: true, transports: true, user: { select: { ...PUBLIC_USER_SELECT, credentialVersion: true } } },
  });
  if (!row) return null;
  const { credentialVersion, ...user } = row.user;
  return { ...row, user, credentialVersion, counter: Number(row.counter), transports: splitTransports(row.transports) };
}

/** Who made a change: the request's client and session, for its security event. */
export type EventSource = Partial<ClientInfo> & { sessionId?: string };

export async function countPasskeys(userId: string): Promise<number> {
  return getDb().passkey.count({ where: { userId } });
}

/**
 * Adds a verified passkey, in one transaction so that what goes with it (a
 * security event) is written with it or not at all. A credential id already
 * registered, to this account or any other, is refused: accepting it would
 * let an attacker who saw a victim's credential id claim it for an account of
 * their own (WebAuthn §7.1 step 25).
 */
export async function addPasskey(userId: string, passkey: NewPasskey, by?: EventSource): Promise<PasskeyView> {
  try {
    return await getDb().$transaction(async (tx) => {
      const row = await tx.passkey.create({
        data: { id: randomUUID(), userId, ...passkey, counter: BigInt(passkey.counter), transports: passkey.transports.join(",") },
        select: VIEW_SELECT,
      });
      await recordEvent(tx, { userId, type: "passkey_added", ...by, detail: { name: row.name } });
      return toView(row);
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AuthError("invalid_request", { fields: { response: "This passkey is already registered." } });
    }
    throw error;
  }
}

export async function renamePasskey(userId: string, id: string, name: string): Promise<PasskeyView> {
  const { count } = await getDb().passkey.updateMany({ where: { id, userId }, data: { name } });
  if (count !== 1) throw new AuthError("not_found");
  const row = await getDb().passkey.findUniqueOrThrow({ where: { id }, select: VIEW_SELECT });
  return toView(row);
}

/** Removes one of the user's passkeys, in one transaction (a security event goes with it). */
export async function removePasskey(userId: string, id: string, by?: EventSource): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const doomed = await tx.passkey.findFirst({ where: { id, userId }, select: { name: true } });
    const { count } = await tx.passkey.deleteMany({ where: { id, userId } });
    if (count !== 1 || !doomed) throw new AuthError("not_found");
    await recordEvent(tx, { userId, type: "passkey_removed", ...by, detail: { name: doomed.name } });
  });
}

/**
 * Records a successful assertion. The counter moves by compare-and-set: two
 * assertions racing from a cloned authenticator cannot both advance it from
 * the same value, so the loser is refused like any counter regression.
 */
export async function recordUse(passkey: StoredCredential, newCounter: number, backedUp: boolean): Promise<void> {
  const { count } = await getDb().passkey.updateMany({
    where: { id: passkey.id, counter: BigInt(passkey.counter) },
    data: { counter: BigInt(newCounter), backedUp, lastUsedAt: new Date() },
  });
  if (count !== 1) throw new AuthError("invalid_credentials");
}
