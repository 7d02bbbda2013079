// Issue 10 item 11 — one valid account must not starve everyone's logins.
// Successful password checks are bcrypt work like failed ones: a client that
// knows one password could queue them without end. Two defences, each with a
// server of its own:
//   1. the bcrypt queue has a deadline: a check that cannot START within
//      AUTH_BCRYPT_QUEUE_DEADLINE answers 503 service_unavailable + Retry-After
//      instead of waiting behind the flood (and the queue has a hard length);
//   2. successful checks are limited too, generously, per account and per
//      address (AUTH_RATE_LIMIT_SUCCESS_*), so one account's flood is refused
//      with 429 before any hashing.
// Cost 10 on one bcrypt thread: ~13 checks a second, the machine's share.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, sleep, startServer, type TestServer } from "../http/harness";

const COMMON = { AUTH_BCRYPT_COST: "10", AUTH_BCRYPT_THREADS: "1", AUTH_TRUST_PROXY: "1" };
const DEADLINE_S = 1;
// The bystander's check starts within the deadline or is shed; then one hash,
// and slack for a loaded 2-core machine.
const BOUND_MS = DEADLINE_S * 1000 + 3000;

let counter = 0;
const newAddress = () => `192.0.2.${++counter}`;

async function timedLogin(url: string, email: string, address = newAddress()) {
  const started = performance.now();
  const res = await new Client(url).post("/api/auth/login", { email, password: PASSWORD }, { headers: { "x-forwarded-for": address } });
  return { res, ms: performance.now() - started };
}

/** `count` successful logins on one account, all at once, from `addresses` (round robin). */
function flood(url: string, email: string, count: number, addresses: string[]) {
  return Promise.all(Array.from({ length: count }, (_, i) => timedLogin(url, email, addresses[i % addresses.length])));
}

/** On the 1 s deadline server a busy shared machine can shed even a lone sign-up: try again, as a client would. */
async function registeredAnyway(url: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await registered(url);
    } catch (error) {
      if (attempt >= 10 || !String(error).includes("503")) throw error;
      await sleep(500);
    }
  }
}

describe("the bcrypt queue sheds what it cannot start in time", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ ...COMMON, AUTH_BCRYPT_QUEUE_DEADLINE: `${DEADLINE_S}s`, AUTH_RATE_LIMIT_SUCCESS_ACCOUNT: "off", AUTH_RATE_LIMIT_SUCCESS_ADDRESS: "off" });
  });
  after(() => server?.stop());

  test("a bystander's login during a flood of successful logins on one account answers within the bound", async () => {
    const flooder = await registeredAnyway(server.url);
    const bystander = await registeredAnyway(server.url);
    const addresses = Array.from({ length: 8 }, newAddress);
    const flooding = flood(server.url, flooder.email, 120, addresses);
    await sleep(300);
    const { res, ms } = await timedLogin(server.url, bystander.email);
    assert.ok(ms < BOUND_MS, `the bystander waited ${ms.toFixed(0)} ms (bound ${BOUND_MS} ms), status ${res.status}`);
    if (res.status !== 200) {
      assert.equal(res.status, 503, JSON.stringify(res.data));
      assert.equal(res.data.error, "service_unavailable");
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
    }
    const results = await flooding;
    const statuses = results.map((r) => r.res.status);
    assert.ok(statuses.every((s) => s === 200 || s === 503), statuses.join(","));
    assert.ok(statuses.includes(503), "the flood was shed, not queued");
    for (const r of results.filter((r) => r.res.status === 503)) assert.ok(Number(r.res.headers.get("retry-after")) >= 1, "Retry-After");
    // Once the flood is over, logins work again.
    assert.equal((await timedLogin(server.url, bystander.email)).res.status, 200);
  });
});

describe("successful password checks are limited per account and per address", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ ...COMMON, AUTH_RATE_LIMIT_SUCCESS_ACCOUNT: "6/1m", AUTH_RATE_LIMIT_SUCCESS_ADDRESS: "10/1m" });
  });
  after(() => server?.stop());

  test("one account: after 6 successful checks a minute, the rest are 429 before any hashing, and a bystander is unaffected", async () => {
    const [flooder, bystander] = await Promise.all([registered(server.url), registered(server.url)]);
    const results = await flood(server.url, flooder.email, 30, Array.from({ length: 30 }, newAddress));
    const statuses = results.map((r) => r.res.status);
    assert.equal(statuses.filter((s) => s === 200).length, 6, statuses.join(","));
    assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(","));
    for (const r of results.filter((r) => r.res.status === 429)) assert.ok(Number(r.res.headers.get("retry-after")) >= 1);
    const { res, ms } = await timedLogin(server.url, bystander.email);
    assert.equal(res.status, 200);
    assert.ok(ms < BOUND_MS, `${ms.toFixed(0)} ms`);
  });

  test("one address: after 10 successful checks a minute across accounts, the rest are 429", async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => registered(server.url)));
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await timedLogin(server.url, users[i % users.length].email, address)).res.status);
    assert.deepEqual(statuses, [...Array(10).fill(200), ...Array(4).fill(429)]);
  });

  test("wrong passwords do not use the success budget", async () => {
    const owner = await registered(server.url);
    for (let i = 0; i < 8; i++) {
      const res = await new Client(server.url).post("/api/auth/login", { email: owner.email, password: "wrong password" }, { headers: { "x-forwarded-for": newAddress() } });
      assert.ok(res.status === 401 || res.status === 429, String(res.status));
    }
    // The failure limits are off here; the success budget is untouched by failures.
    for (let i = 0; i < 6; i++) assert.equal((await timedLogin(server.url, owner.email)).res.status, 200, `success ${i + 1}`);
  });
});
