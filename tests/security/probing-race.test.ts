// Issue 10 item 1 — probing for taken addresses in parallel. Register and
// change-email answer 409 email_taken for a taken address, and each 409
// counts against the client address (and, for change-email, the user). The
// count must be reserved BEFORE the work (a ~hash on register, an UPDATE on
// change-email), as login's is (decision 401): counted after, a parallel
// burst all reads "room left" and every probe gets its answer.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, type TestServer } from "../http/harness";

// cost 8: a few tens of ms a hash, so 40 probes keep the pool busy long enough to race.
const LIMIT = 5;
let server: TestServer;
before(async () => {
  server = await startServer({ AUTH_RATE_LIMIT_ADDRESS: `${LIMIT}/15m`, AUTH_RATE_LIMIT_ACCOUNT: "100/15m", AUTH_TRUST_PROXY: "1", AUTH_BCRYPT_COST: "8" });
});
after(() => server?.stop());

let counter = 0;
const newAddress = () => `203.0.113.${++counter}`;

function tally(statuses: number[]) {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n}×${s}`).join(", ");
}

describe("a parallel burst of probes cannot outrun the address limit", () => {
  test(`40 parallel registers for taken addresses: at most ${LIMIT} answer 409, the rest 429`, async () => {
    const taken = await Promise.all(Array.from({ length: 4 }, () => registered(server.url)));
    const headers = { "x-forwarded-for": newAddress() };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Client(server.url).post("/api/auth/register", { email: taken[i % taken.length].email, password: PASSWORD }, { headers }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 409 || s === 429), tally(statuses));
    assert.ok(statuses.filter((s) => s === 409).length <= LIMIT, `at most ${LIMIT} answers revealed: ${tally(statuses)}`);
    for (const r of results.filter((r) => r.status === 429)) assert.ok(Number(r.headers.get("retry-after")) >= 1);
  });

  test(`40 parallel e-mail changes to taken addresses: at most ${LIMIT} answer 409, the rest 429`, async () => {
    const taken = await Promise.all(Array.from({ length: 4 }, () => registered(server.url)));
    const prober = await registered(server.url);
    const headers = { "x-forwarded-for": newAddress() };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => prober.client.put("/api/account/email", { email: taken[i % taken.length].email }, { headers })),
    );
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 409 || s === 429), tally(statuses));
    assert.ok(statuses.filter((s) => s === 409).length <= LIMIT, `at most ${LIMIT} answers revealed: ${tally(statuses)}`);
  });

  test("a successful sign-up gives its slot back: more sign-ups than the limit, one after another, all work", async () => {
    const headers = { "x-forwarded-for": newAddress() };
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await new Client(server.url).post("/api/auth/register", { email: `seq-${Date.now()}-${i}@example.com`, password: PASSWORD }, { headers });
      assert.equal(res.status, 201, `sign-up ${i + 1}`);
    }
  });
});
