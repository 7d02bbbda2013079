// The bcrypt thread of lib/auth/password.ts (a piscina worker). Plain
// JavaScript on purpose: Next bundles lib/ with Turbopack, so this file is
// loaded by path at run time (<cwd>/lib/auth/bcrypt-worker.mjs) and never goes
// through the bundler.
//
// A cost-12 hash takes ~250 ms of pure CPU. Run on the request thread it would
// stall every other request for that long; here it only occupies this thread.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import bcrypt from "bcryptjs";

// A thread of its own is not enough on a small machine: with two cores, the
// request thread, a bcrypt thread and anything else runnable share them, and
// the scheduler would give the hash an equal slice. Linux keeps a nice value
// per thread, so this thread lowers its own: requests win whenever they
// compete, and hashing still gets every idle cycle (a login is slower only
// while the server is busy serving others). Best effort: elsewhere (no
// /proc/thread-self) hashing just runs at normal priority.
const NICER_BY = 10; // relative to the process: 10 steps is about a tenth of the CPU share when contended
try {
  const tid = Number(readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]);
  if (tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + NICER_BY));
} catch {
  // not Linux, or not permitted: normal priority
}

/**
 * bcrypt reads only the first 72 bytes and stops at a NUL byte. Instead of
 * truncating silently, every password is pre-hashed: HMAC-SHA-256 under a fixed,
 * public label, base64-encoded (44 ASCII bytes, no NUL). All characters count.
 * The label (rather than plain SHA-256) means a leaked table of unsalted
 * SHA-256 password hashes from elsewhere cannot be "shucked" against ours.
 */
function prehash(password) {
  return createHmac("sha256", "fresh-auth/password/v1").update(password.normalize("NFKC")).digest("base64");
}

// Synchronous calls are right here: this thread exists to do this one job at a
// time, and bcryptjs's async variants only add yields nobody is waiting for.
// The request thread sends a job only when this thread is free for it
// (lib/auth/password.ts keeps the queue), so a job here is never cut short.
export default function run(job) {
  if (job.op === "hash") return bcrypt.hashSync(prehash(job.password), job.cost);
  if (job.op === "verify") return bcrypt.compareSync(prehash(job.password), job.hash);
  throw new Error(`unknown bcrypt job "${job.op}"`);
}
