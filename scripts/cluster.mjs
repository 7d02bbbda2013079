// Every core: `WEB_CONCURRENCY=N npm start` or `npm start -- --cluster` (one
// worker per core). scripts/start.mjs builds and migrates ONCE in this primary
// process, then runCluster() forks N workers that each run scripts/server.mjs
// on the same port; node:cluster hands incoming connections to them in turn.
// Nothing is shared between workers but the database, which is already where
// every piece of auth state lives (sessions, rate-limit counters).
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { bcryptThreads } from "../lib/auth/bcrypt-threads.mjs";
import { shutdownTimeoutMs } from "./shutdown-timeout.mjs";

/** How many server processes to run: 1 unless WEB_CONCURRENCY or --cluster says otherwise. */
export function clusterSize(env = process.env, argv = process.argv) {
  const raw = env.WEB_CONCURRENCY?.trim();
  if (raw) {
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      throw new Error(`WEB_CONCURRENCY="${raw}" must be a whole number of processes, 1 or more.`);
    }
    return Number(raw);
  }
  return argv.includes("--cluster") ? availableParallelism() : 1;
}

// A worker that dies this soon after starting would die again (port taken,
// bad configuration): stop instead of forking in a loop.
const CRASH_ON_START_MS = 10_000;
// Workers give up on their requests after shutdownTimeoutMs(); this much more
// is for them to exit. Past it the primary stops waiting.
const EXIT_GRACE_MS = 5_000;

export function runCluster({ workers, log }) {
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), args: [] });
  const startedAt = new Map();
  let live = 0;
  let stopping = false;
  let exitCode = 0;

  // Each worker's share of the machine's bcrypt threads (lib/auth/password.ts),
  // unless the operator set a number per process.
  const env = { AUTH_BCRYPT_THREADS: process.env.AUTH_BCRYPT_THREADS || String(bcryptThreads(availableParallelism(), workers)) };
  const fork = () => {
    const worker = cluster.fork(env);
    startedAt.set(worker.id, Date.now());
    live++;
  };

  const shutdown = (reason) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping ${live} worker(s)`);
    // Each worker finishes its requests in flight (scripts/server.mjs).
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    const waitMs = shutdownTimeoutMs() + EXIT_GRACE_MS;
    setTimeout(() => {
      log(`${live} worker(s) still running after ${waitMs} ms: killing them`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }, waitMs).unref();
    if (live === 0) process.exit(exitCode);
  };

  cluster.on("exit", (worker, code, signal) => {
    live--;
    const how = signal ?? `code ${code}`;
    if (stopping) {
      // A worker that cut requests off (exit 1) or died makes the shutdown
      // unclean, and the primary's exit code must say so, as a single server's does.
      if (code !== 0) {
        exitCode = 1;
        log(`worker ${worker.process.pid} stopped uncleanly (${how})`);
      }
      if (live === 0) process.exit(exitCode);
      return;
    }
    if (Date.now() - (startedAt.get(worker.id) ?? 0) < CRASH_ON_START_MS) {
      exitCode = 1;
      shutdown(`worker ${worker.process.pid} failed on start (${how})`);
      return;
    }
    log(`worker ${worker.process.pid} exited (${how}); starting a replacement`);
    fork();
  });

  let listening = 0;
  cluster.on("listening", () => {
    if (++listening === workers) log(`cluster: ${workers} workers serving (primary pid ${process.pid})`);
  });
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  for (let i = 0; i < workers; i++) fork();
}

// Forked workers run this file: the primary has built and migrated already.
if (cluster.isWorker) {
  process.env.NODE_ENV = "production";
  const { serve } = await import("./server.mjs");
  await serve({ port: Number(process.env.PORT ?? 3000), log: (line) => console.log(`[start] ${line}`) });
}
