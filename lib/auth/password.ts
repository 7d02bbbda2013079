import "server-only";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { getConfig } from "../config";
import { INPUT_MESSAGES } from "../shared/field-messages";
import { passwordProblem } from "../shared/input-rules";
import { bcryptThreads } from "./bcrypt-threads.mjs";

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
interface Task {
  job: Job & { id: number };
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * bcrypt is ~250 ms of CPU at cost 12; on the request thread one login would
 * stall every other request for that long. It runs on a small pool of worker
 * threads instead (bcryptPoolSize() of them), with a FIFO queue in front. The
 * worker (bcrypt-worker.mjs) also does the pre-hash, so the whole password
 * computation stays off the event loop.
 *
 * The worker is loaded by path from the project root because Next bundles
 * lib/ and a bundled module cannot name a sibling file reliably.
 */
class BcryptPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private size = 0;
  private nextId = 0;

  constructor(
    private readonly file: string,
    private readonly maxThreads: number,
  ) {}

  run(job: Job): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.size < this.maxThreads ? this.spawn() : undefined);
      if (!worker) return;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.ref(); // a pending hash keeps the process alive (tests, scripts)
      worker.postMessage(task.job);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.file);
    this.size++;
    worker.unref(); // an idle pool never keeps the process alive
    worker.on("message", (message: { id: number; result?: unknown; error?: string }) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if (task) {
        if (message.error !== undefined) task.reject(new Error(`bcrypt worker: ${message.error}`));
        else task.resolve(message.result);
      }
      this.dispatch();
    });
    let failure: Error | undefined;
    worker.on("error", (error) => (failure = error));
    // A crashed thread fails only the job it held; the next job gets a new one.
    worker.on("exit", (code) => {
      this.size--;
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      task?.reject(failure ?? new Error(`bcrypt worker exited with code ${code}`));
      this.dispatch();
    });
    return worker;
  }
}

const globalForPool = globalThis as unknown as { freshAuthBcryptPool?: BcryptPool };

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
  globalForPool.freshAuthBcryptPool ??= new BcryptPool(
    path.join(process.cwd(), "lib", "auth", "bcrypt-worker.mjs"),
    bcryptPoolSize(),
  );
  return globalForPool.freshAuthBcryptPool;
}

/**
 * bcrypt reads only the first 72 bytes and stops at a NUL byte, so every
 * password is pre-hashed (HMAC-SHA-256 of its NFKC form, base64) before
 * bcrypt sees it: all characters count, nothing is silently truncated.
 * The pre-hash is in bcrypt-worker.mjs, next to the bcrypt call.
 */
export async function hashPassword(password: string): Promise<string> {
  return (await pool().run({ op: "hash", password, cost: getConfig().AUTH_BCRYPT_COST })) as string;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await pool().run({ op: "verify", password, hash })) as boolean;
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
