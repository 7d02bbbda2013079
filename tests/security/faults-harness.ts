// Shared by the fault tests: a database of a chosen provider (these tests run
// on both, whatever TEST_DB says), the same browser on another instance, a
// crash, and one request to every API endpoint.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Client, PASSWORD, ROOT, startServer, uniqueEmail, type TestDatabase, type TestServer } from "../http/harness";
import { TcpProxy } from "../db/tcp-proxy";
import { createTempPgDatabase, pgSkip } from "../db/pg-harness";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: Provider[] = ["sqlite", "postgresql"];

/** For `describe(name, { skip: skipFor(provider) }, …)`. */
export const skipFor = (provider: Provider) => (provider === "postgresql" ? pgSkip : false);

export async function createDatabase(provider: Provider): Promise<TestDatabase & { file?: string }> {
  if (provider === "postgresql") {
    const db = await createTempPgDatabase();
    if (!db) throw new Error("TEST_DATABASE_URL_PG is unset");
    return db;
  }
  const dir = path.join(ROOT, ".tmp");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `faults-${randomBytes(6).toString("hex")}.db`);
  return {
    url: `file:${file}`,
    file,
    drop: async () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    },
  };
}

/** The same browser (same cookies) talking to another instance or a restarted one. */
export function via(client: Client, base: string): Client {
  const other = new Client(base);
  for (const [name, cookie] of client.cookies) other.cookies.set(name, { ...cookie });
  return other;
}

/** A crash: no shutdown handler runs, nothing is flushed. */
export async function kill9(server: TestServer): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = new Promise((resolve) => server.process.once("exit", resolve));
  server.process.kill("SIGKILL");
  await exited;
}

/** The `jti` claim of the refresh token a client holds. */
export function refreshJti(client: Client): string {
  const token = client.cookie("refresh_token");
  if (!token) throw new Error("no refresh token");
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).jti;
}

type Res = Awaited<ReturnType<Client["request"]>>;

export interface Endpoint {
  name: string;
  /** Whether it writes to the database (SQLite under a held write lock still serves reads). */
  writes: boolean;
  call(victim: Client, email: string): Promise<Res>;
}

/** One request to every API endpoint that touches the database, made by a signed-in, fresh victim. */
export const ENDPOINTS: Endpoint[] = [
  { name: "GET /api/health", writes: false, call: (c) => new Client(c.base).get("/api/health") },
  { name: "POST /api/auth/register", writes: true, call: (c) => new Client(c.base).post("/api/auth/register", { email: uniqueEmail("outage"), password: PASSWORD }) },
  { name: "POST /api/auth/login", writes: true, call: (c, email) => new Client(c.base).post("/api/auth/login", { email, password: PASSWORD }) },
  { name: "POST /api/auth/login (wrong password)", writes: true, call: (c, email) => new Client(c.base).post("/api/auth/login", { email, password: "not the password" }) },
  { name: "POST /api/auth/refresh", writes: true, call: (c) => c.post("/api/auth/refresh") },
  { name: "GET /api/auth/resume", writes: true, call: (c) => c.navigate("/api/auth/resume?next=%2Faccount") },
  { name: "POST /api/auth/fresh-login", writes: true, call: (c) => c.post("/api/auth/fresh-login", { password: PASSWORD }) },
  { name: "GET /api/me", writes: false, call: (c) => c.get("/api/me") },
  { name: "PATCH /api/me", writes: true, call: (c) => c.patch("/api/me", { name: "Renamed" }) },
  { name: "GET /api/sessions", writes: false, call: (c) => c.get("/api/sessions") },
  { name: "DELETE /api/sessions/{id}", writes: true, call: (c) => c.delete("/api/sessions/00000000-0000-4000-8000-000000000000") },
  { name: "DELETE /api/sessions", writes: true, call: (c) => c.delete("/api/sessions") },
  { name: "PUT /api/account/password", writes: true, call: (c) => c.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "a different password" }) },
  { name: "PUT /api/account/email", writes: true, call: (c) => c.put("/api/account/email", { email: uniqueEmail("moved") }) },
  { name: "DELETE /api/account", writes: true, call: (c) => c.delete("/api/account") },
  { name: "POST /api/auth/logout", writes: true, call: (c) => c.post("/api/auth/logout") },
];

/** Times one call. */
export async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await call();
  return { result, ms: Math.round(performance.now() - started) };
}

/**
 * A throwaway PostgreSQL database, an app server that reaches it through a
 * TcpProxy (so a test can stall or cut the network), and what to close after.
 */
export async function serverBehindProxy(env: Record<string, string>) {
  const database = await createDatabase("postgresql");
  const proxy = await TcpProxy.start({ host: new URL(database.url).hostname, port: Number(new URL(database.url).port || 5432) });
  const server = await startServer(env, { url: TcpProxy.rewrite(database.url, proxy.port), drop: async () => {} });
  return { database, proxy, server };
}

/**
 * Reads a session's current refresh jti straight from PostgreSQL, past the
 * proxy: what the database holds, whatever the app has heard back.
 */
export async function jtiReader(databaseUrl: string, sessionId: string) {
  const direct = new pg.Client({ connectionString: databaseUrl });
  await direct.connect();
  const current = async () =>
    (await direct.query<{ currentJti: string }>(`SELECT "currentJti" FROM "Session" WHERE "id" = $1`, [sessionId])).rows[0].currentJti;
  return {
    current,
    /** Polls until the jti is no longer `from` (or ~5 s pass); returns what it read last. */
    async changedFrom(from: string): Promise<string> {
      let seen = from;
      for (let i = 0; i < 100 && seen === from; i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await current();
      }
      return seen;
    },
    /**
     * Waits for what sign-up does after its response (decision 700: the known
     * device, then the verification link's row) to have written its last row.
     * A test that then holds the database's replies holds only its own query:
     * a background write caught by the hold would keep the pool's connection
     * busy, and the query under test would queue behind it, never sent.
     */
    async signUpSettled(): Promise<void> {
      for (let i = 0; i < 200; i++) {
        const { rows } = await direct.query(
          `SELECT 1 FROM "EmailToken" t JOIN "Session" s ON s."userId" = t."userId" WHERE s."id" = $1 AND t."kind" = 'verify_email'`,
          [sessionId],
        );
        if (rows.length) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("sign-up's background work never wrote the verification link");
    },
    end: () => direct.end(),
  };
}
