// Security activity (DESIGN.md, "Security activity"): GET /api/account/activity,
// the events each change records (in the change's own transaction), and what
// must not write one (a failed change, a refresh).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../../lib/test-utils";
import { copyOf } from "../security/helpers";
import { Client, PASSWORD, registered, sleep, startServer, uniqueEmail, type TestServer } from "./harness";

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
let db: import("../../lib/db").Database;

before(async () => {
  server = await startServer({ AUTH_REFRESH_REUSE_GRACE: "10s" });
  // The test reads and seeds the server's database through the app's own
  // Prisma client, so timestamps are stored exactly as the app stores them.
  setTestEnv({ DATABASE_URL: server.databaseUrl });
  db = (await import("../../lib/db")).getDb();
});
after(async () => {
  await db?.$disconnect();
  await server?.stop();
});

interface Event {
  id: string;
  type: string;
  at: string;
  userAgent: string;
  ip: string;
  sessionId: string | null;
  current: boolean;
  device: string;
  detail: Record<string, unknown>;
}

async function activity(client: Client, query = ""): Promise<Event[]> {
  const res = await client.get(`/api/account/activity${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.data));
  return res.data.events;
}

const types = async (client: Client) => (await activity(client)).map((e) => e.type);
const rowsOf = (userId: string) => db.securityEvent.findMany({ where: { userId }, orderBy: [{ at: "desc" }, { id: "desc" }] });

function withUserAgent(base: string, userAgent: string): Client {
  const client = new Client(base);
  const request = client.request.bind(client);
  client.request = (method, pathname, init = {}) => request(method, pathname, { ...init, headers: { "user-agent": userAgent, ...init.headers } });
  return client;
}

const MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("GET /api/account/activity", () => {
  test("needs an access token", async () => {
    const res = await new Client(server.url).get("/api/account/activity");
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "authorization_required");
  });

  test("a registration is a sign-in, with the contract's fields, the device and how", async () => {
    const client = withUserAgent(server.url, MAC_CHROME);
    const res = await client.post("/api/auth/register", { email: uniqueEmail("act"), password: PASSWORD });
    assert.equal(res.status, 201);
    const page = await client.get("/api/account/activity");
    assert.equal(page.headers.get("cache-control"), "no-store");
    assert.deepEqual(Object.keys(page.data), ["events"]);
    const [event] = page.data.events as Event[];
    for (const key of ["id", "type", "at", "userAgent", "ip", "sessionId", "current"]) assert.ok(key in event, key);
    assert.equal(event.type, "signed_in");
    assert.equal(event.sessionId, res.data.session.id);
    assert.equal(event.current, true);
    assert.equal(event.userAgent, MAC_CHROME);
    assert.equal(event.device, "Chrome on macOS");
    assert.match(event.ip, /127\.0\.0\.1/);
    assert.deepEqual(event.detail, { methods: ["password"] });
    assert.ok(Math.abs(Date.parse(event.at) - Date.now()) < 60_000);
  });

  test("a sign-in elsewhere shows there, not as this device; each caller sees only its own account", async () => {
    const { client, email, user } = await registered(server.url);
    const second = new Client(server.url);
    const login = await second.post("/api/auth/login", { email, password: PASSWORD });
    assert.equal(login.status, 200);
    const mine = await activity(client);
    assert.deepEqual(mine.map((e) => [e.type, e.current]), [["signed_in", false], ["signed_in", true]]);
    assert.equal(mine[0].sessionId, login.data.session.id);
    assert.deepEqual((await activity(second)).map((e) => e.current), [true, false]);

    const stranger = await registered(server.url);
    const theirs = await activity(stranger.client);
    assert.deepEqual(theirs.map((e) => e.type), ["signed_in"]);
    assert.ok(theirs.every((e) => !mine.some((m) => m.id === e.id)));
    assert.deepEqual(await activity(stranger.client, `?before=${mine[0].id}`), [], "another account's event is no cursor");
    assert.equal((await rowsOf(user.id)).length, 2);
  });

  test("newest first, 50 a page, ?before= continues without gaps or repeats", async () => {
    const { client, user } = await registered(server.url);
    const base = Date.now() - 3600_000;
    // 120 older events; every fourth pair shares a millisecond, to test the tie-break on id.
    await db.securityEvent.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({ id: `seed-${String(i).padStart(3, "0")}`, userId: user.id, type: "confirmed", at: new Date(base + Math.floor(i / 2) * 1000) })),
    });
    const pages: Event[][] = [];
    let query = "";
    for (let i = 0; i < 5; i++) {
      const page = await activity(client, query);
      pages.push(page);
      if (page.length < 50) break;
      query = `?before=${encodeURIComponent(page[page.length - 1].id)}`;
    }
    assert.deepEqual(pages.map((p) => p.length), [50, 50, 21]);
    const all = pages.flat();
    assert.equal(new Set(all.map((e) => e.id)).size, 121);
    assert.equal(all[0].type, "signed_in", "the registration is the newest");
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      assert.ok(a.at > b.at || (a.at === b.at && a.id > b.id), `${a.id} before ${b.id}`);
    }
    assert.equal((await client.get("/api/account/activity?before=")).status, 400);
    assert.deepEqual(await activity(client, "?before=no-such-event"), []);
  });
});

describe("recorded events", () => {
  test("wrong passwords for an account: one sign_in_failed per burst; unknown e-mails write nothing", async () => {
    const { client, email, user } = await registered(server.url);
    const before = await db.securityEvent.count({ where: { type: "sign_in_failed" } });
    for (let i = 0; i < 4; i++) assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: "wrong password" })).status, 401);
    const events = await activity(client);
    assert.deepEqual(events.map((e) => e.type), ["sign_in_failed", "signed_in"]);
    assert.equal(events[0].sessionId, null);
    assert.equal((await new Client(server.url).post("/api/auth/login", { email: uniqueEmail("ghost"), password: "wrong password" })).status, 401);
    assert.equal(await db.securityEvent.count({ where: { type: "sign_in_failed" } }), before + 1);
    assert.equal((await rowsOf(user.id)).length, 2);
  });

  test("logout: signed_out, for the session that ended", async () => {
    const { client, email, user } = await registered(server.url);
    const other = new Client(server.url);
    const login = await other.post("/api/auth/login", { email, password: PASSWORD });
    assert.equal((await other.post("/api/auth/logout")).status, 204);
    const [latest] = await activity(client);
    assert.equal(latest.type, "signed_out");
    assert.equal(latest.sessionId, login.data.session.id);
    assert.equal((await rowsOf(user.id)).length, 3, "a second logout of an ended session writes nothing");
  });

  test("revoking one's own session from the list is a sign-out", async () => {
    const { client, user, session } = await registered(server.url);
    assert.equal((await client.delete(`/api/sessions/${session.id}`)).status, 204);
    const [latest] = await rowsOf(user.id);
    assert.equal(latest.type, "signed_out");
    assert.equal(latest.sessionId, session.id);
  });

  test("revoking one session, then every other: session_revoked, the second with a count", async () => {
    const { client, email } = await registered(server.url);
    const others = await Promise.all([1, 2, 3].map(async () => {
      const c = new Client(server.url);
      return (await c.post("/api/auth/login", { email, password: PASSWORD })).data.session.id as string;
    }));
    assert.equal((await client.delete(`/api/sessions/${others[0]}`)).status, 204);
    assert.equal((await client.delete("/api/sessions")).status, 204);
    assert.equal((await client.delete("/api/sessions")).status, 204, "nothing left to revoke: no event");
    const events = await activity(client);
    assert.deepEqual(events.slice(0, 2).map((e) => [e.type, e.detail.count, e.current]), [["session_revoked", 2, true], ["session_revoked", undefined, true]]);
    assert.equal(events.filter((e) => e.type === "session_revoked").length, 2);
  });

  test("an old refresh token presented again: refresh_reuse_detected, once", async () => {
    const { client, user, session } = await registered(server.url);
    const grandparent = copyOf(client);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    assert.equal((await grandparent.post("/api/auth/refresh")).data.error, "token_revoked");
    assert.equal((await copyOf(grandparent).post("/api/auth/refresh")).status, 401);
    const rows = await rowsOf(user.id);
    assert.deepEqual(rows.map((r) => r.type), ["refresh_reuse_detected", "signed_in"]);
    assert.equal(rows[0].sessionId, session.id);
  });

  test("fresh-login: confirmed, with how", async () => {
    const { client } = await registered(server.url);
    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 200);
    const [latest] = await activity(client);
    assert.equal(latest.type, "confirmed");
    assert.equal(latest.current, true);
    assert.deepEqual(latest.detail, { methods: ["password"] });
  });

  test("password change: password_changed; with a wrong current password nothing is written", async () => {
    const { client, user } = await registered(server.url);
    const wrong = await client.put("/api/account/password", { currentPassword: "not the password", newPassword: "a brand new password" });
    assert.equal(wrong.status, 401);
    assert.deepEqual((await rowsOf(user.id)).map((r) => r.type), ["signed_in"]);
    assert.equal((await client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "a brand new password" })).status, 204);
    assert.deepEqual(await types(client), ["password_changed", "signed_in"]);
  });

  test("e-mail change: email_change_requested with the address; a taken address writes nothing", async () => {
    const { client, user } = await registered(server.url);
    const taken = await registered(server.url);
    const refused = await client.put("/api/account/email", { email: taken.email });
    assert.equal(refused.status, 409);
    assert.deepEqual((await rowsOf(user.id)).map((r) => r.type), ["signed_in"]);
    const address = uniqueEmail("moved");
    assert.equal((await client.put("/api/account/email", { email: address })).status, 202);
    const [latest] = await activity(client);
    assert.equal(latest.type, "email_change_requested");
    assert.deepEqual(latest.detail, { email: address });
  });

  test("refreshing writes no event (the hot path stays as it was)", async () => {
    const { client, user } = await registered(server.url);
    const before = await rowsOf(user.id);
    for (let i = 0; i < 20; i++) assert.equal((await client.post("/api/auth/refresh")).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await client.get("/api/me")).status, 200);
    assert.deepEqual(await rowsOf(user.id), before);
  });

  test("deleting the account deletes its events", async () => {
    const { client, user } = await registered(server.url);
    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 200);
    assert.equal((await rowsOf(user.id)).length, 2);
    assert.equal((await client.delete("/api/account")).status, 204);
    assert.equal(await db.securityEvent.count({ where: { userId: user.id } }), 0);
  });
});

describe("retention", () => {
  test("a server starting up deletes events older than 90 days, and only those", async () => {
    const { client, user } = await registered(server.url);
    const day = 86400_000;
    await db.securityEvent.createMany({
      data: [
        { id: `old-${user.id}`, userId: user.id, type: "signed_in", at: new Date(Date.now() - 91 * day) },
        { id: `kept-${user.id}`, userId: user.id, type: "signed_in", at: new Date(Date.now() - 89 * day) },
      ],
    });
    // A second instance on the same database: its start runs the cleanup.
    const second: TestServer = await startServer({}, server.database);
    try {
      const deadline = Date.now() + 15_000;
      while (await db.securityEvent.findUnique({ where: { id: `old-${user.id}` } })) {
        assert.ok(Date.now() < deadline, "the start-up cleanup never ran");
        await sleep(100);
      }
      assert.ok(await db.securityEvent.findUnique({ where: { id: `kept-${user.id}` } }));
      assert.equal((await activity(client)).length, 2);
    } finally {
      await second.stop();
    }
  });
});
