// The passkey ceremonies of the HTTP tests, driven by the software
// authenticator exactly as a browser page would drive navigator.credentials.
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import pg from "pg";
import { SoftAuthenticator, type Ceremony } from "../../lib/testing/soft-authenticator";
import { Client } from "./harness";

export { SoftAuthenticator };

type Forge = (ceremony: Ceremony) => Ceremony;
const same: Forge = (c) => c;

/** Adds a passkey to a signed-in (fresh) client; returns the authenticator and the response. */
export async function enroll(client: Client, userId: string, options: { name?: string; forge?: Forge } = {}) {
  const created = await client.post("/api/account/passkeys/options");
  assert.equal(created.status, 200, JSON.stringify(created.data));
  const authenticator = new SoftAuthenticator(userId);
  const ceremony = (options.forge ?? same)({ challenge: created.data.challenge, origin: client.base, rpId: created.data.rp.id });
  const response = authenticator.register(ceremony);
  const added = await client.post("/api/account/passkeys", { response, ...(options.name === undefined ? {} : { name: options.name }) });
  return { authenticator, added, options: created.data };
}

/** Discoverable sign-in: options (which set the challenge cookie), then the assertion. */
export async function passkeySignIn(base: string, authenticator: SoftAuthenticator, forge: Forge = same, client = new Client(base)) {
  const options = await client.post("/api/auth/passkey/options");
  assert.equal(options.status, 200, JSON.stringify(options.data));
  const response = authenticator.assert(forge({ challenge: options.data.challenge, origin: base, rpId: options.data.rpId }));
  const login = await client.post("/api/auth/passkey/login", { response });
  return { client, options, response, login };
}

/** "Confirm it's you" with a passkey: the account's options, then fresh-login {passkey}. */
export async function passkeyConfirm(client: Client, authenticator: SoftAuthenticator, forge: Forge = same) {
  const options = await client.post("/api/auth/fresh-login/options");
  assert.equal(options.status, 200, JSON.stringify(options.data));
  const passkey = authenticator.assert(forge({ challenge: options.data.challenge, origin: client.base, rpId: options.data.rpId }));
  const confirmed = await client.post("/api/auth/fresh-login", { passkey });
  return { options, passkey, confirmed };
}

/** One statement on the server's database (SQLite file or PostgreSQL), for state no endpoint creates yet. */
export async function sql(databaseUrl: string, statement: { sqlite: string; postgresql: string }, params: unknown[]): Promise<void> {
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length), { timeout: 5_000 });
    try {
      db.prepare(statement.sqlite).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(statement.postgresql, params);
  } finally {
    await client.end();
  }
}

/** Turns an authenticator app on for a user, as the TOTP feature will once it exists. */
export function enableTotp(databaseUrl: string, userId: string) {
  return sql(
    databaseUrl,
    {
      sqlite: `INSERT INTO "TotpFactor" ("userId", "secret", "confirmedAt") VALUES (?, 'x', ?)`,
      postgresql: `INSERT INTO "TotpFactor" ("userId", "secret", "confirmedAt") VALUES ($1, 'x', now())`,
    },
    databaseUrl.startsWith("file:") ? [userId, new Date().toISOString()] : [userId],
  );
}
