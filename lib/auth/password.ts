import "server-only";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { z } from "zod";
import { getConfig } from "../config";
import { INPUT_MESSAGES } from "../shared/field-messages";
import { passwordProblem } from "../shared/input-rules";
import { bcryptThreads } from "./bcrypt-threads.mjs";
import { AuthError } from "../http/errors";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * Length is counted in characters (code points) after NFKC normalisation, so
 * "é" typed on two keyboards is one password. The upper bound keeps a 1 MB
 * "password" from costing anything: it is refused by validation, unhashed.
 */
export const passwordSchema = z
  .string()
  .transform((p) => p.normalize("NFKC"))
  .refine((p) => passwordProblem(p) === null, INPUT_MESSAGES.blankPassword)
  .refine((p) => [...p].length >= PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .refine((p) => [...p].length <= PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

type Job = { op: "hash"; password: string; cost: number } | { op: "verify"; password: string; hash: string };

/** Tasks waiting per bcrypt thread before new ones are refused outright (the deadline usually sheds first). */
export const QUEUE_PER_THREAD = 128;

/**
 * bcrypt is ~250 ms of CPU at cost 12; on the request thread one login would
 * stall every other request for that long. It runs on a piscina pool of
 * worker threads instead (bcryptPoolSize() of them). The worker
 * (bcrypt-worker.mjs) also does the pre-hash, so the whole password
 * computation stays off the event loop.
 *
 * The queue in front is bounded twice (decision 607): in length
 * (QUEUE_PER_THREAD per thread), and in time: a check that has not STARTED
 * within AUTH_BCRYPT_QUEUE_DEADLINE is taken out of the queue and answered
 * `503 service_unavailable` with Retry-After. An unbounded FIFO let one
 * account's flood of right passwords push everyone else's login to seconds
 * and growing; now a bystander waits at most the deadline, and the flood is
 * shed instead of served late. A check that has started is never cut short.
 *
 * The queue is ours, not piscina's, and strictly first come, first served
 * (decision 609): a job goes to piscina only when a thread is free for it.
 * piscina's own queue reorders jobs that carry an abort signal (which the
 * deadline needs): by default a job it cannot hand to a busy thread goes to
 * the back of the line, so each time a thread freed up the next job in line
 * was sent behind everyone, and under a steady stream of sign-ins some
 * waited as long as the stream lasted (18 s against a median of 2 s in
 * bench/two-step.mjs) or were shed while later arrivals were served; its
 * `stricterFIFO` option turns that into last come, first served instead.
 *
 * The worker is loaded by path from the project root because Next bundles
 * lib/ and a bundled module cannot name a sibling file reliably.
 */
interface BcryptPool {
  threads: Piscina;
  size: number;
  /** Jobs on a thread now (at most `size`). */
  running: number;
  /** Jobs waiting for a thread, oldest first: each starts when called. */
  waiting: Array<() => void>;
}
const globalForPool = globalThis as unknown as { freshAuthBcrypt?: BcryptPool };

/**
 * Threads in this process's pool: AUTH_BCRYPT_THREADS when set (the cluster
 * primary sets each worker's share of the cores), else cores − 1. Without the
 * share, N cluster workers would each take cores − 1 threads.
 */
export function bcryptPoolSize(): number {
  return getConfig().AUTH_BCRYPT_THREADS ?? bcryptThreads(availableParallelism());
}

/** One pool per process, however many route bundles include this module. */
function pool(): BcryptPool {
  if (globalForPool.freshAuthBcrypt) return globalForPool.freshAuthBcrypt;
  const size = bcryptPoolSize();
  const threads = new Piscina({
    filename: pathToFileURL(path.join(process.cwd(), "lib", "auth", "bcrypt-worker.mjs")).href,
    minThreads: size,
    maxThreads: size,
    // Threads live as long as the process (idle ones do not keep it alive).
    idleTimeout: 2 ** 31 - 1,
  });
  return (globalForPool.freshAuthBcrypt = { threads, size, running: 0, waiting: [] });
}

function shed(retryAfter: number): AuthError {
  return new AuthError("service_unavailable", { description: "The server is busy checking passwords. Try again shortly.", retryAfter });
}

/** Resolves when a thread is this job's, in order of arrival; rejects with 503 at the deadline. */
function threadFor(bcrypt: BcryptPool): Promise<void> {
  if (bcrypt.running < bcrypt.size) {
    bcrypt.running++;
    return Promise.resolve();
  }
  const deadline = getConfig().AUTH_BCRYPT_QUEUE_DEADLINE;
  if (bcrypt.waiting.length >= bcrypt.size * QUEUE_PER_THREAD) return Promise.reject(shed(deadline));
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout;
    const start = () => {
      clearTimeout(timer);
      resolve(); // the finishing job handed its thread over: `running` is unchanged
    };
    // Until the pool has finished its first job its threads are still starting
    // (loading bcryptjs): that wait is not a queue, so the deadline re-arms.
    const arm = () => {
      timer = setTimeout(() => {
        if (bcrypt.threads.completed === 0) return arm();
        bcrypt.waiting.splice(bcrypt.waiting.indexOf(start), 1);
        reject(shed(deadline));
      }, deadline * 1000);
    };
    arm();
    bcrypt.waiting.push(start);
  });
}

async function run(job: Job): Promise<unknown> {
  const bcrypt = pool();
  await threadFor(bcrypt);
  try {
    return await bcrypt.threads.run(job);
  } finally {
    const next = bcrypt.waiting.shift();
    if (next) next();
    else bcrypt.running--;
  }
}

/**
 * bcrypt reads only the first 72 bytes and stops at a NUL byte, so every
 * password is pre-hashed (HMAC-SHA-256 of its NFKC form, base64) before
 * bcrypt sees it: all characters count, nothing is silently truncated.
 * The pre-hash is in bcrypt-worker.mjs, next to the bcrypt call.
 */
export async function hashPassword(password: string): Promise<string> {
  return (await run({ op: "hash", password, cost: getConfig().AUTH_BCRYPT_COST })) as string;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await run({ op: "verify", password, hash })) as boolean;
}

let dummyHash: Promise<string> | undefined;

/**
 * Unknown e-mails are checked against this hash so they cost the same time as
 * a wrong password: response timing does not reveal which accounts exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("fresh-auth dummy password, never matches").catch((error: unknown) => {
    dummyHash = undefined; // a failed hash must not poison every later login
    throw error;
  });
  await verifyPassword(password, await dummyHash);
  return false;
}
