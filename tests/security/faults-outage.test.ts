// Issue 4 item 7 and issue 5 item 4: when the database is gone, hung, or out
// of connections, every endpoint answers 503 service_unavailable with
// Retry-After in bounded time, never a 500 or a hang; no cookie is touched,
// so nobody is signed out; the server survives; and the very refresh token
// the browser held during the outage works once the database is back.
//
// PostgreSQL is reached through a TCP proxy in this process (tests/db/tcp-proxy.ts)
// that can reset or freeze the connection. SQLite cannot become unreachable
// (it is a file the process holds open), so its fault is a write lock held by
// another process for longer than DATABASE_TIMEOUT — a backup or a stuck writer.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { registered, sleep, startServer, type TestServer } from "../http/harness";
import { TcpProxy } from "../db/tcp-proxy";
import { createDatabase, ENDPOINTS, skipFor, timed, via } from "./faults-harness";

const TIMEOUT_S = 1;
// A request makes its first database call at once, and that call is bounded by
// DATABASE_TIMEOUT; the rest is slack for a loaded 2-core CI machine.
const BOUND_MS = TIMEOUT_S * 1000 * 3 + 1500;
const ENV = {
  DATABASE_TIMEOUT: `${TIMEOUT_S}s`,
  DATABASE_POOL_SIZE: "2",
  // On, so a failure that cannot be counted is refused rather than let through.
  AUTH_RATE_LIMIT_ACCOUNT: "100/1m",
  AUTH_RATE_LIMIT_ADDRESS: "1000/1m",
  // The stalled refresh below may still reach the database after the app gave
  // up on it; the retry then presents the parent, which the grace covers.
  AUTH_REFRESH_REUSE_GRACE: "30s",
};

type Res = Awaited<ReturnType<(typeof ENDPOINTS)[number]["call"]>>;

function assertUnavailable(res: Res, ms: number, label: string) {
  assert.equal(res.status, 503, `${label}: ${res.status} ${JSON.stringify(res.data)}`);
  assert.equal(res.data?.error, "service_unavailable", label);
  const retryAfter = Number(res.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `${label}: Retry-After ${res.headers.get("retry-after")}`);
  assert.deepEqual(res.setCookies, [], `${label}: a 503 must leave the cookies alone`);
  assert.ok(ms < BOUND_MS, `${label}: answered after ${ms} ms (bound ${BOUND_MS} ms)`);
}

function assertAlive(server: TestServer) {
  assert.equal(server.process.exitCode, null, `the server died:\n${server.output()}`);
  assert.doesNotMatch(server.output(), /internal_error|unhandled error|uncaught/i);
}

describe("PostgreSQL unreachable, hung or out of connections", { skip: skipFor("postgresql") }, () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let dropDb: () => Promise<void>;
  let directUrl: string;
  before(async () => {
    const db = await createDatabase("postgresql");
    dropDb = db.drop;
    directUrl = db.url;
    proxy = await TcpProxy.start({ host: new URL(db.url).hostname, port: Number(new URL(db.url).port || 5432) });
    server = await startServer(ENV, { url: TcpProxy.rewrite(db.url, proxy.port), drop: async () => {} });
  });
  afterEach(() => proxy.up());
  after(async () => {
    await server?.stop();
    await proxy?.close();
    await dropDb?.();
  });

  test("database down: every endpoint is a fast 503 with Retry-After and no cookies; then the same tokens work", async (t) => {
    const victim = await registered(server.url);
    const keeper = await registered(server.url);
    proxy.down();
    const times: number[] = [];
    for (const endpoint of ENDPOINTS) {
      const { result, ms } = await timed(() => endpoint.call(victim.client, victim.email));
      assertUnavailable(result, ms, endpoint.name);
      times.push(ms);
    }
    const keeperRefresh = await timed(() => keeper.client.post("/api/auth/refresh"));
    assertUnavailable(keeperRefresh.result, keeperRefresh.ms, "the keeper's refresh");
    for (const page of ["/", "/account"]) {
      // A page cannot answer 503 (server components have no status of their
      // own): it sends the browser to a page that says what happened, keeps
      // the cookies and does not hang.
      const { result, ms } = await timed(() => victim.client.get(page));
      assert.equal(result.status, 307, `${page}: ${result.status}`);
      assert.equal(result.headers.get("location"), `/unavailable?next=${encodeURIComponent(page)}`);
      assert.deepEqual(result.setCookies, [], `${page} leaves the cookies alone`);
      assert.ok(ms < BOUND_MS, `${page}: answered after ${ms} ms`);
    }
    const notice = await victim.client.get("/unavailable?next=%2Faccount");
    assert.equal(notice.status, 200);
    assert.match(String(notice.data), /You are still signed in/);
    assert.match(String(notice.data), /href="\/account"/, "Try again goes back to the page asked for");
    t.diagnostic(`503 latency with the database down: max ${Math.max(...times)} ms, median ${times.sort((a, b) => a - b)[times.length >> 1]} ms`);
    assertAlive(server);

    proxy.up();
    for (const { client } of [victim, keeper]) {
      assert.equal((await client.post("/api/auth/refresh")).status, 200, "the refresh token held through the outage still works");
      assert.equal((await client.get("/api/me")).status, 200);
    }
    assert.equal((await via(victim.client, server.url).get("/api/health")).status, 200);
  });

  test("database hung: answers come within DATABASE_TIMEOUT, even 20 at once through a pool of 2", async (t) => {
    const { client } = await registered(server.url);
    proxy.stall();
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => timed(() => (i % 2 ? client.get("/api/me") : via(client, server.url).get("/api/sessions")))));
    burst.forEach(({ result, ms }, i) => assertUnavailable(result, ms, `parallel request ${i}`));
    // The refresh may reach the database once it wakes up (the proxy holds the
    // bytes): the app answered 503, the browser kept the parent token.
    const refresh = await timed(() => client.post("/api/auth/refresh"));
    assertUnavailable(refresh.result, refresh.ms, "refresh");
    t.diagnostic(`503 latency with the database hung (timeout ${TIMEOUT_S}s): max ${Math.max(...burst.map((b) => b.ms), refresh.ms)} ms for 21 requests`);
    assertAlive(server);

    proxy.up();
    assert.equal((await client.post("/api/auth/refresh")).status, 200, "the same refresh token works afterwards");
    assert.equal((await client.get("/api/me")).status, 200);
    assert.equal((await client.post("/api/auth/refresh")).status, 200, "and the chain goes on");
  });

  test("pool exhausted by statements stuck on a lock: 503 from the pool wait, then the same token works", async () => {
    const { client, session } = await registered(server.url);
    const locker = new pg.Client({ connectionString: directUrl });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query(`SELECT 1 FROM "Session" WHERE "id" = $1 FOR UPDATE`, [session.id]);
      const before = server.output().length;
      const results = await Promise.all(Array.from({ length: 6 }, () => timed(() => via(client, server.url).post("/api/auth/refresh"))));
      results.forEach(({ result, ms }, i) => assertUnavailable(result, ms, `refresh ${i} while the row is locked`));
      await sleep(300); // the server's log lines arrive through a pipe
      const log = server.output().slice(before);
      assert.match(log, /timeout exceeded when trying to connect/, `some requests waited for a pooled connection and gave up:\n${log}`);
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      await locker.end();
    }
    assert.equal((await client.post("/api/auth/refresh")).status, 200, "the same refresh token works once the lock is gone");
    assertAlive(server);
  });
});

describe("SQLite write lock held past DATABASE_TIMEOUT", () => {
  let server: TestServer;
  let file: string;
  let dropDb: () => Promise<void>;
  before(async () => {
    const db = await createDatabase("sqlite");
    file = db.file!;
    dropDb = db.drop;
    server = await startServer(ENV, db);
  });
  after(async () => {
    await server?.stop();
    await dropDb?.();
  });

  test("writes are 503 with Retry-After and no cookies, reads still work; then the same tokens work", async (t) => {
    const victim = await registered(server.url);
    const holder = new Database(file);
    const times: number[] = [];
    try {
      holder.exec("BEGIN IMMEDIATE");
      for (const endpoint of ENDPOINTS) {
        const { result, ms } = await timed(() => endpoint.call(victim.client, victim.email));
        if (endpoint.writes) {
          assertUnavailable(result, ms, endpoint.name);
          times.push(ms);
        } else {
          assert.equal(result.status, 200, `${endpoint.name} only reads, and WAL readers never wait for the writer`);
        }
      }
      assert.doesNotMatch(server.output(), /"error":"internal_error"/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    t.diagnostic(`503 latency with the SQLite write lock held (busy timeout ${TIMEOUT_S}s): max ${Math.max(...times)} ms`);
    assertAlive(server);
    assert.equal((await victim.client.post("/api/auth/refresh")).status, 200, "the refresh token held through the lock still works");
    assert.equal((await victim.client.get("/api/me")).status, 200);
  });
});
