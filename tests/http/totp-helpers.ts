// Authenticator codes computed the way an app would, and direct database
// access for what HTTP cannot do (age a pending sign-in).
import { Secret, TOTP } from "otpauth";
import { sql } from "../db/sql";
import { Client, PASSWORD, registered } from "./harness";

export { sql };

const STEP_MS = 30_000;
const lastStep = new Map<string, number>();

/**
 * The next code the server will accept for `secret`: each step's code works
 * once, so this walks forward through the current and the next step (both
 * inside the ±1 window whatever boundary the request crosses), and waits for
 * a new step when both are spent.
 */
export async function nextCode(secret: string): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / STEP_MS);
    const step = Math.max((lastStep.get(secret) ?? -1) + 1, current);
    if (step <= current + 1) {
      lastStep.set(secret, step);
      return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * STEP_MS });
    }
    await new Promise((r) => setTimeout(r, (current + 1) * STEP_MS - Date.now() + 50));
  }
}

/** A code the server never accepts now: the current one, shifted (never equal to a valid one of the window). */
export function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((d) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + d * STEP_MS })));
  for (let n = 0; ; n++) {
    const candidate = String((123456 + n * 7919) % 1_000_000).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

/** A signed-in account with TOTP on: its client (fresh), secret and recovery codes. */
export async function withTotp(base: string, headers: Record<string, string> = {}) {
  const account = await registered(base);
  const { client } = account;
  const setup = await client.post("/api/account/totp", undefined, { headers });
  if (setup.status !== 200) throw new Error(`set-up failed: ${setup.status} ${JSON.stringify(setup.data)}`);
  const secret: string = setup.data.secret;
  const confirmed = await client.post("/api/account/totp/confirm", { code: await nextCode(secret) }, { headers });
  if (confirmed.status !== 200) throw new Error(`confirm failed: ${confirmed.status} ${JSON.stringify(confirmed.data)}`);
  return { ...account, secret, recoveryCodes: confirmed.data.recoveryCodes as string[] };
}

/** Password step of a two-step sign-in: a new client holding only the pending cookie. */
export async function passwordStep(base: string, email: string, headers: Record<string, string> = {}, password = PASSWORD) {
  const client = new Client(base);
  const res = await client.post("/api/auth/login", { email, password }, { headers });
  return { client, res };
}

export async function expirePendingSignIns(databaseUrl: string, userId: string): Promise<void> {
  const rows = await sql<{ expiresAt: unknown }>(databaseUrl, `SELECT "expiresAt" FROM "PendingSignIn" WHERE "userId" = ?`, [userId]);
  if (!rows.length) throw new Error("no pending sign-in to expire");
  const past = new Date(Date.now() - 60_000);
  // Keep the stored representation (SQLite: what the adapter wrote; PostgreSQL: timestamp).
  const sample = rows[0].expiresAt;
  const value = typeof sample === "number" ? past.getTime() : sample instanceof Date ? past : past.toISOString();
  await sql(databaseUrl, `UPDATE "PendingSignIn" SET "expiresAt" = ? WHERE "userId" = ?`, [value, userId]);
}
