// Item 8 — account enumeration (OWASP Authentication cheat sheet, ASVS V6).
// Login and fresh-login must not tell which e-mails exist by status, body,
// headers or timing. Register answers 409 email_taken by contract (DESIGN.md),
// so its status does reveal existence — that is the documented trade-off in
// docs/security.md — but its timing must not add a second, unlimited oracle.
//
// Timing is compared on the median of paired differences: each round runs
// every probe once, in a random order, so load from the other test files
// (three run at once) hits both sides of a pair alike and cancels out. The
// yardstick is the cost of one bcrypt hash measured in the same rounds: a
// missing dummy hash shows up as a whole hash of difference, noise as a few ms.
// A measurement is taken up to three times. A burst of load (another file's
// server starting) can spoil one, but does not come back three times; a
// missing dummy hash is a whole hash of difference every time, so it fails.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, uniqueEmail, type TestServer } from "../http/harness";
import { median } from "./helpers";

let server: TestServer;
let known: Awaited<ReturnType<typeof registered>>;
before(async () => {
  // Cost 8 is ~20-35 ms a hash here: large against request overhead, cheap enough to sample.
  server = await startServer({ AUTH_BCRYPT_COST: "8" });
  known = await registered(server.url);
  // Warm up: the dummy hash is made on the first unknown e-mail, and routes compile lazily.
  for (let i = 0; i < 3; i++) {
    await login(uniqueEmail("ghost"), "wrong password");
    await login(known.email, "wrong password");
    await new Client(server.url).post("/api/auth/register", { email: known.email, password: PASSWORD });
  }
});
after(() => server?.stop());

function login(email: string, password: string) {
  return new Client(server.url).post("/api/auth/login", { email, password });
}

async function timed(run: () => Promise<{ status: number }>, status: number): Promise<number> {
  const started = performance.now();
  const res = await run();
  const ms = performance.now() - started;
  assert.equal(res.status, status);
  return ms;
}

/** n rounds, each running every probe once in a random order; returns one series of durations (ms) per probe. */
async function interleaved(n: number, probes: (() => Promise<number>)[]): Promise<number[][]> {
  const series: number[][] = probes.map(() => []);
  for (let round = 0; round < n; round++) {
    const order = probes.map((_, i) => i).sort(() => Math.random() - 0.5);
    for (const i of order) series[i].push(await probes[i]());
  }
  return series;
}

const wrongPassword = () => timed(() => login(known.email, "wrong password"), 401);
// Refused by validation (no password at all), so it never reaches bcrypt.
const neverHashed = () => timed(() => new Client(server.url).post("/api/auth/login", { email: known.email }), 400);

/** The median of a[i] - b[i]: what a costs over b, with each round's load cancelled. */
const pairedMedian = (a: number[], b: number[]) => median(a.map((x, i) => x - b[i]));

/** One bcrypt hash as the server spends it, from the same rounds: a checked password minus an unchecked request. */
function hashCost(hashed: number[], unhashed: number[]): number {
  const cost = pairedMedian(hashed, unhashed);
  assert.ok(cost > 8, `a hash must cost enough to be measured (${cost.toFixed(1)} ms), or this test proves nothing`);
  return cost;
}

/** Runs `measure` up to three times until it holds; fails with every attempt's figures. */
async function holdsInOneOfThree(t: { diagnostic(message: string): void }, measure: () => Promise<{ holds: boolean; figures: string }>) {
  const seen: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const { holds, figures } = await measure();
    t.diagnostic(`attempt ${attempt}: ${figures}`);
    if (holds) return;
    seen.push(figures);
  }
  assert.fail(`failed three measurements in a row:\n${seen.join("\n")}`);
}

function comparable(res: { status: number; data: unknown; headers: Headers; setCookies?: string[] }) {
  const headers = [...res.headers].filter(([name]) => !["date", "content-length", "keep-alive", "connection"].includes(name));
  return { status: res.status, body: JSON.stringify(res.data), headers, cookies: res.setCookies };
}

describe("login", () => {
  test("an unknown e-mail and a wrong password get the same status, body and headers", async () => {
    const wrong = comparable(await login(known.email, "wrong password"));
    assert.equal(wrong.status, 401);
    for (const ghost of [uniqueEmail("ghost"), known.email.replace("@", "x@"), `nobody@${known.email.split("@")[1]}`]) {
      assert.deepEqual(comparable(await login(ghost, "wrong password")), wrong, ghost);
    }
    assert.deepEqual(comparable(await login(known.email.toUpperCase(), "wrong password")), wrong, "another spelling of a real one");
  });

  test("an unknown e-mail takes as long as a wrong password", async (t) => {
    await holdsInOneOfThree(t, async () => {
      const [real, ghost, unhashed] = await interleaved(24, [wrongPassword, () => timed(() => login(uniqueEmail("ghost"), "wrong password"), 401), neverHashed]);
      const cost = hashCost(real, unhashed);
      const gap = pairedMedian(real, ghost);
      return {
        holds: Math.abs(gap) < cost / 2,
        figures: `login medians: known ${median(real).toFixed(1)} ms, unknown ${median(ghost).toFixed(1)} ms; paired gap ${gap.toFixed(1)} ms, one hash ${cost.toFixed(1)} ms`,
      };
    });
  });
});

describe("fresh-login", () => {
  test("takes no e-mail, and a wrong password answers exactly like login's", async () => {
    const fresh = await known.client.post("/api/auth/fresh-login", { password: "wrong password" });
    const viaLogin = await login(uniqueEmail("ghost"), "wrong password");
    assert.deepEqual(comparable(fresh), comparable(viaLogin));
  });
});

describe("register", () => {
  test("a taken e-mail says only email_taken (the contract), and nothing about the account", async () => {
    const res = await new Client(server.url).post("/api/auth/register", { email: known.email.toUpperCase(), password: PASSWORD, name: "Someone" });
    assert.equal(res.status, 409);
    assert.deepEqual(Object.keys(res.data).sort(), ["description", "error"]);
    assert.equal(res.data.error, "email_taken");
    assert.deepEqual(res.setCookies, []);
  });

  test("a taken e-mail still costs a full hash, so timing adds nothing to the status", async (t) => {
    // Not compared with a free e-mail: that one also writes a user and a
    // session, which no amount of hashing makes equal. The point is that the
    // taken path is not a cheap, fast answer (an oracle free of bcrypt's cost).
    await holdsInOneOfThree(t, async () => {
      const [taken, real, unhashed] = await interleaved(16, [
        () => timed(() => new Client(server.url).post("/api/auth/register", { email: known.email, password: PASSWORD }), 409),
        wrongPassword,
        neverHashed,
      ]);
      const cost = hashCost(real, unhashed);
      const spent = pairedMedian(taken, unhashed);
      return {
        holds: spent > cost / 2,
        figures: `register of a taken e-mail spent ${spent.toFixed(1)} ms over an unhashed request (medians ${median(taken).toFixed(1)} and ${median(unhashed).toFixed(1)} ms), one hash ${cost.toFixed(1)} ms`,
      };
    });
  });
});
