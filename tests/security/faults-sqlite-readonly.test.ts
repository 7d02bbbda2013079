// Issue 10 item 12 — SQLite files that become unwritable mid-run (a full or
// read-only volume, an immutable file, a failing disk). SQLite reports
// SQLITE_IOERR_* / SQLITE_READONLY / SQLITE_CANTOPEN, which reach us inside
// Prisma's message rather than as a code; they are database faults: 503
// service_unavailable with Retry-After, never a 500, and no cookie touched.
//
// The files are made immutable with chattr +i (the suite runs as root, which
// file modes do not stop); where chattr is unavailable the test is skipped.
// Only the database file and its WAL: an immutable -shm kills the process
// (SIGBUS on the shared mapping), which is not what a read-only volume does.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { Client, registered, startServer, type TestDatabase, type TestServer } from "../http/harness";
import { createDatabase } from "./faults-harness";

let server: TestServer;
let database: TestDatabase & { file?: string };
let files: string[] = [];
const chattr = (flag: string) => execFileSync("chattr", [flag, ...files], { stdio: "pipe" });

function chattrWorks(): string | false {
  try {
    execFileSync("chattr", ["--help"], { stdio: "pipe" });
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return "chattr not installed";
  }
  return process.getuid?.() === 0 ? false : "needs root for chattr +i";
}

before(async () => {
  database = await createDatabase("sqlite");
  server = await startServer({}, database);
  files = [database.file!, `${database.file}-wal`];
});
after(async () => {
  try {
    chattr("-i");
  } catch {
    // never set
  }
  await server?.stop();
  await database?.drop();
});

test("writes to an unwritable SQLite file answer 503 service_unavailable, not 500", { skip: chattrWorks() }, async () => {
  const user = await registered(server.url);
  chattr("+i");
  try {
    const writes = [
      await user.client.patch("/api/me", { name: "Read only" }),
      await new Client(server.url).post("/api/auth/register", { email: `ro-${Date.now()}@example.com`, password: "a long enough password" }),
    ];
    // The rotation is a prepared statement on the connection that already
    // holds the WAL open (decision 505), and immutability does not stop writes
    // through a descriptor opened before it: that write really lands, so a 200
    // with the rotated cookies is right. What must never come is a 500.
    const refresh = await user.client.post("/api/auth/refresh");
    assert.ok(refresh.status === 503 || (refresh.status === 200 && refresh.setCookies.some((c) => c.startsWith("refresh_token="))), `${refresh.status} ${JSON.stringify(refresh.data)}`);
    if (refresh.status === 503) writes.push(refresh);
    for (const res of writes) {
      assert.equal(res.status, 503, `${res.status} ${JSON.stringify(res.data)}`);
      assert.equal(res.data?.error, "service_unavailable");
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
      assert.deepEqual(res.setCookies, [], "a 503 leaves the cookies alone");
    }
  } finally {
    chattr("-i");
  }
  assert.doesNotMatch(server.output(), /unhandled error/);
});
