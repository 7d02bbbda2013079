// The bcrypt worker pool (lib/auth/password.ts + bcrypt-worker.mjs): same
// scheme as hashing on the request thread, correct under concurrency, and the
// event loop stays free. The scheme's own rules are in password.test.ts;
// throughput figures live in bench/, never in unit tests.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { before, test } from "node:test";
import bcrypt from "bcryptjs";
import { setTestEnv } from "../test-utils";
import { bcryptThreads } from "./bcrypt-threads.mjs";

// One thread, as on a 2-core machine (cores − 1): where the order of the
// queue shows most.
const FILE_ENV = { AUTH_BCRYPT_COST: "4", AUTH_BCRYPT_THREADS: "1" };
setTestEnv(FILE_ENV);

let password: typeof import("./password");
let config: typeof import("../config");

before(async () => {
  password = await import("./password");
  config = await import("../config");
});

/** The scheme as it ran in-thread before the pool: HMAC pre-hash of the NFKC form. */
const prehash = (p: string) => createHmac("sha256", "fresh-auth/password/v1").update(p.normalize("NFKC")).digest("base64");

test("hashes made on the request thread verify in the pool, and the reverse", async () => {
  const secret = "cafe\u0301 with a tail well past bcrypt's seventy-two byte limit, all of it counted";
  const legacy = bcrypt.hashSync(prehash(secret), 4);
  assert.equal(await password.verifyPassword(secret.normalize("NFC"), legacy), true);
  assert.equal(await password.verifyPassword(`${secret}!`, legacy), false);
  assert.equal(bcrypt.compareSync(prehash(secret), await password.hashPassword(secret)), true);
});

test("concurrent checks queue and each settles with its own answer", async () => {
  const hash = await password.hashPassword("concurrent password");
  const guesses = Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? "concurrent password" : `wrong ${i}`));
  const results = await Promise.all(guesses.map((guess) => password.verifyPassword(guess, hash)));
  assert.deepEqual(results, guesses.map((guess) => guess === "concurrent password"));
});

test("checks run in the order they arrived, however many wait", async () => {
  // piscina's default put a task it could not hand to the busy thread back at
  // the END of the queue: each time the thread freed up, the next task in
  // line went behind everyone, and under a steady stream of sign-ins some
  // waited until the stream stopped (18 s in bench/two-step.mjs) or were shed
  // at the deadline while later ones were served.
  const hash = await password.hashPassword("first come, first served");
  const finished: number[] = [];
  await Promise.all(Array.from({ length: 12 }, (_, i) => password.verifyPassword("first come, first served", hash).then(() => finished.push(i))));
  assert.deepEqual(finished, Array.from({ length: 12 }, (_, i) => i));
});

test("the event loop keeps turning while the pool hashes", async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = performance.now();
  await Promise.all(Array.from({ length: 60 }, () => password.hashPassword("keep the loop free")));
  clearInterval(timer);
  const elapsed = performance.now() - started;
  // On the request thread the hashes would hold the loop for their whole
  // duration and the timer would not fire until they were done.
  assert.ok(elapsed < 20 || ticks >= 3, `only ${ticks} timer ticks in ${elapsed.toFixed(0)} ms`);
});

/** Nice values of this process's threads, from /proc (field 19 of each thread's stat). */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").flatMap((tid) => {
    try {
      return [Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1].split(" ")[16])];
    } catch {
      return []; // the thread ended between listing and reading
    }
  });
}

test("bcrypt threads run at a lower priority than the request thread", { skip: process.platform !== "linux" && "per-thread nice is Linux" }, async () => {
  await password.hashPassword("priority check");
  const mainNice = Number(readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1].split(" ")[16]);
  const expected = Math.min(19, mainNice + 10);
  assert.ok(threadNiceValues().includes(expected), `request thread ${mainNice}, all threads: ${threadNiceValues().join(", ")}`);
});

test("the pool sizes itself to this process's share of the cores", () => {
  // One process keeps a core for requests; N cluster workers split those
  // cores − 1 threads instead of taking cores − 1 each; none gets zero.
  const cases: [cores: number, processes: number, threads: number][] = [
    [1, 1, 1], [2, 1, 1], [8, 1, 7], [2, 2, 1], [8, 2, 3], [8, 8, 1], [16, 4, 3], [64, 3, 21],
  ];
  for (const [cores, processes, threads] of cases) {
    assert.equal(bcryptThreads(cores, processes), threads, `${cores} cores, ${processes} process(es)`);
  }
  for (let cores = 1; cores <= 64; cores++) {
    for (let processes = 1; processes <= cores; processes++) {
      const total = processes * bcryptThreads(cores, processes);
      assert.ok(total <= Math.max(processes, cores - 1), `${cores} cores × ${processes} processes → ${total} threads`);
    }
  }
});

test("AUTH_BCRYPT_THREADS, set by the cluster primary, overrides the default", () => {
  try {
    setTestEnv({ AUTH_BCRYPT_THREADS: "3" });
    config.resetConfigForTests();
    assert.equal(password.bcryptPoolSize(), 3);
    setTestEnv();
    config.resetConfigForTests();
    assert.equal(password.bcryptPoolSize(), bcryptThreads(availableParallelism()));
  } finally {
    setTestEnv(FILE_ENV);
    config.resetConfigForTests();
  }
});

test("a check that cannot start within AUTH_BCRYPT_QUEUE_DEADLINE is shed with 503; started checks finish", async () => {
  const hash = bcrypt.hashSync(prehash("deadline password"), 10);
  await password.verifyPassword("warm the pool", hash); // threads started; the deadline counts from here
  try {
    setTestEnv({ AUTH_BCRYPT_COST: "4", AUTH_BCRYPT_QUEUE_DEADLINE: "1" });
    config.resetConfigForTests();
    const count = password.bcryptPoolSize() * 60; // ~60 × 50-75 ms per thread: far past one second
    const settled = await Promise.allSettled(Array.from({ length: count }, () => password.verifyPassword("deadline password", hash)));
    const shed = settled.filter((r) => r.status === "rejected");
    const done = settled.filter((r) => r.status === "fulfilled");
    assert.ok(shed.length > 0, "some were shed");
    assert.ok(done.length > 0, "the ones that started finished");
    for (const r of done) assert.equal(r.value, true);
    for (const r of shed) {
      const error = r.reason as { code?: string; status?: number; options?: { retryAfter?: number } };
      assert.equal(error.code, "service_unavailable");
      assert.equal(error.status, 503);
      assert.ok((error.options?.retryAfter ?? 0) >= 1);
    }
  } finally {
    setTestEnv(FILE_ENV);
    config.resetConfigForTests();
  }
});
