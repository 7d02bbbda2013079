// Starts the real production server (scripts/start.mjs: build if needed,
// migrate, serve) on a throwaway SQLite database under .tmp/, and measures the
// memory of its whole process tree (primary + cluster workers, if any).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { treeRss } from "./proc.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The real defaults (bcrypt cost 12) except rate limits, which a load test would trip at once. */
export const BENCH_ENV = {
  AUTH_BCRYPT_COST: "12",
  AUTH_RATE_LIMIT_ACCOUNT: "off",
  AUTH_RATE_LIMIT_ADDRESS: "off",
  AUTH_RATE_LIMIT_SUCCESS_ACCOUNT: "off",
  AUTH_RATE_LIMIT_SUCCESS_ADDRESS: "off",
  // The setup signs 61 sessions in at once (15 s of hashing at cost 12 on one
  // thread): the queue deadline would shed them. Rows measure throughput.
  AUTH_BCRYPT_QUEUE_DEADLINE: "120s",
  LOG_LEVEL: "warn",
  NEXT_TELEMETRY_DISABLED: "1",
};

/** A throwaway database file and signing secret, shareable by two servers one after the other. */
export function benchStore() {
  const dir = path.join(ROOT, ".tmp");
  mkdirSync(dir, { recursive: true });
  return { file: path.join(dir, `bench-${randomBytes(6).toString("hex")}.db`), secret: randomBytes(48).toString("base64url") };
}

/**
 * `store` (from benchStore) lets a short-lived seeding server (bcrypt cost 4,
 * so 1,000 sign-ins take seconds, not minutes) hand its database and secret
 * to the measured server: the sessions it made and the tokens it signed stay
 * valid. `keepDatabase` leaves the file in place on stop for that hand-over.
 */
export async function startServer({ env = {}, log = () => {}, nodeArgs = [], store = benchStore(), keepDatabase = false } = {}) {
  const { file, secret } = store;
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, "scripts/start.mjs"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...BENCH_ENV,
      AUTH_SECRET: secret,
      DATABASE_URL: `file:${file}`,
      PORT: String(port),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk) => {
    output += chunk;
    for (const line of String(chunk).split("\n")) if (line.startsWith("[start]")) log(line);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const url = `http://127.0.0.1:${port}`;
  // Generous: the first run may have to build (~20 s on this machine).
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid,
    output: () => output,
    rssBytes: () => treeRss(child.pid),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      if (!keepDatabase) for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    },
  };
}
