// `WEB_CONCURRENCY=2 npm start`: one primary that migrates once, two worker
// processes that both serve the same port, and a SIGTERM that stops them all.
// On the database TEST_DB names (npm test runs it on SQLite and PostgreSQL).
// Which process served a connection is read from the kernel (/proc), not from
// a test-only header: the app under test is exactly what production runs.
import assert from "node:assert/strict";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import net from "node:net";
import { availableParallelism } from "node:os";
import { after, before, test } from "node:test";
import { Client, PASSWORD, registered, startServer, type TestServer } from "../http/harness";
import { loginInFlight } from "../http/in-flight";
import { bcryptThreads } from "../../lib/auth/bcrypt-threads.mjs";

const linux = process.platform === "linux";
const skip = linux ? false : "reads /proc to see which process owns a connection (Linux only)";

let server: TestServer | undefined;

before(async () => {
  if (!linux) return;
  server = await startServer({ WEB_CONCURRENCY: "2" });
  // /api/health answers once ONE worker listens; the primary says when both
  // do. Until then every connection goes to the first (seen on a loaded machine).
  const deadline = Date.now() + 30_000;
  while (!/cluster: 2 workers serving/.test(server.output())) {
    if (Date.now() > deadline) throw new Error(`the second worker never listened:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
after(async () => server?.stop());

function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number),
  );
}

/** Opens a keep-alive connection, gets one response on it, and leaves it open. */
async function openServedConnection(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    socket.once("data", (chunk) => {
      assert.match(String(chunk), /^HTTP\/1\.1 200 /);
      resolve();
    });
  });
  return socket;
}

/** The pid (among `pids`) holding the server end of a connection from `clientPort`. */
function ownerOf(serverPort: number, clientPort: number, pids: number[]): number | undefined {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, "0");
  const lines = ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((f) => readFileSync(f, "utf8").split("\n").slice(1));
  const row = lines
    .map((line) => line.trim().split(/\s+/))
    .find((cols) => cols[1]?.endsWith(`:${hex(serverPort)}`) && cols[2]?.endsWith(`:${hex(clientPort)}`));
  if (!row) return undefined;
  const socket = `socket:[${row[9]}]`;
  return pids.find((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === socket;
      } catch {
        return false;
      }
    }),
  );
}

test("migrations run once, in the primary", { skip }, () => {
  // One line per migration, each exactly once: the workers migrate nothing.
  const lines = server!.output().split("\n").filter((line) => line.includes("migrate:"));
  const names = lines.map((line) => /applied (\S+)/.exec(line)?.[1]);
  assert.ok(lines.length >= 1, server!.output());
  assert.equal(new Set(names).size, lines.length, server!.output());
  assert.ok(names.includes("20261122000000_init"), server!.output());
});

test("two worker processes serve the same port", { skip }, async () => {
  const primary = server!.process.pid!;
  const port = Number(new URL(server!.url).port);
  const workers = childrenOf(primary);
  assert.equal(workers.length, 2, `children of ${primary}: ${workers.join(", ")}`);
  const sockets = await Promise.all(Array.from({ length: 8 }, () => openServedConnection(port)));
  try {
    const owners = sockets.map((s) => ownerOf(port, s.localPort!, [primary, ...workers]));
    assert.ok(owners.every((pid) => pid !== undefined && pid !== primary), `owners: ${owners.join(", ")}`);
    assert.deepEqual(new Set(owners), new Set(workers), `connections served by ${owners.join(", ")}`);
  } finally {
    sockets.forEach((s) => s.destroy());
  }
});

test("each worker is told its share of the bcrypt threads, not cores − 1 of its own", { skip }, () => {
  const expected = String(bcryptThreads(availableParallelism(), 2));
  for (const pid of childrenOf(server!.process.pid!)) {
    const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    assert.ok(env.includes(`AUTH_BCRYPT_THREADS=${expected}`), `worker ${pid}: ${env.filter((v) => v.startsWith("AUTH_BCRYPT"))}`);
  }
});

test("refresh chains on both workers rotate without a lock error on the shared database", { skip }, async () => {
  // Two processes writing one database, each rotation a write. On SQLite (one
  // file) the busy timeout must make them queue, never fail with "database is
  // locked"; on PostgreSQL two pools must not trip over each other's rows.
  const { email } = await registered(server!.url);
  const chains = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const client = new Client(server!.url);
      const res = await client.post("/api/auth/login", { email, password: PASSWORD });
      assert.equal(res.status, 200);
      return client;
    }),
  );
  const statuses = await Promise.all(
    chains.map(async (client) => {
      const seen: number[] = [];
      for (let i = 0; i < 25; i++) {
        const before = client.cookie("refresh_token");
        const res = await client.post("/api/auth/refresh");
        seen.push(res.status);
        if (res.status === 200) assert.notEqual(client.cookie("refresh_token"), before, "every refresh is a real rotation");
      }
      return seen;
    }),
  );
  assert.deepEqual(new Set(statuses.flat()), new Set([200]), `statuses: ${statuses.flat().join(",")}`);
  assert.doesNotMatch(server!.output(), /database is locked|SQLITE_BUSY/);
});

test("SIGTERM to the primary stops every worker and exits 0", { skip }, async () => {
  const child = server!.process;
  const workers = childrenOf(child.pid!);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  for (const pid of workers) {
    assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, `worker ${pid} outlived the primary`);
  }
});

test("a worker that cuts a request off at shutdown makes the primary exit 1", { skip }, async () => {
  // The cut-off comes after 10 s in production; 1 s here (scripts/shutdown-timeout.mjs).
  const cluster = await startServer({ WEB_CONCURRENCY: "2", TEST_SHUTDOWN_TIMEOUT_MS: "1000" });
  try {
    const held = await loginInFlight(cluster.url, "nobody@example.com", PASSWORD); // its body never comes
    const exited = new Promise<number | null>((resolve) => cluster.process.once("exit", (code) => resolve(code)));
    cluster.process.kill("SIGTERM");
    assert.equal(await exited, 1, cluster.output());
    assert.match(cluster.output(), /requests still running after 1000 ms/);
    held.abort();
  } finally {
    await cluster.stop();
  }
});
