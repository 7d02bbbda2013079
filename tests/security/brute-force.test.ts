// Item 1 — brute force. Two production servers on ONE database file, with
// short windows so back-off and recovery can be watched in seconds:
//   A: the client address is the TCP peer (X-Forwarded-For ignored);
//   B: AUTH_TRUST_PROXY=1, so each test can speak from its own address, and a
//      bcrypt cost that keeps parallel guesses in flight long enough to race.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, createTestDatabase, PASSWORD, registered, sleep, startServer, uniqueEmail, type TestDatabase, type TestServer } from "../http/harness";
import { assertError } from "./helpers";

const LIMITS = { AUTH_RATE_LIMIT_ACCOUNT: "3/2s", AUTH_RATE_LIMIT_ADDRESS: "6/3s" };

let database: TestDatabase;
let a: TestServer;
let b: TestServer;
before(async () => {
  database = await createTestDatabase();
  [a, b] = await Promise.all([startServer(LIMITS, database), startServer({ ...LIMITS, AUTH_TRUST_PROXY: "1", AUTH_BCRYPT_COST: "7" }, database)]);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

let addressCounter = 0;
/** A fresh client address (only B believes it). */
const newAddress = () => `198.51.${100 + (addressCounter >> 8)}.${addressCounter++ & 255}`;

function login(server: TestServer, email: string, password: string, headers: Record<string, string> = {}) {
  return new Client(server.url).post("/api/auth/login", { email, password }, { headers });
}
const fromB = (email: string, password: string, address = newAddress()) => login(b, email, password, { "x-forwarded-for": address });

function assertLimited(res: { status: number; data: any; headers: Headers }, context = ""): number {
  assertError(res, 429, "rate_limited", context);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const retryAfter = Number(res.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${res.headers.get("retry-after")}`);
  return retryAfter;
}

describe("per account", () => {
  test("back-off grows with each full window, and the right password works again once it ends", async () => {
    const { email } = await registered(b.url);
    // Every guess from a different address: the account limit alone stops them.
    for (let i = 0; i < 3; i++) assertError(await fromB(email, "wrong password"), 401, "invalid_credentials");
    const first = assertLimited(await fromB(email, PASSWORD), "right password during the block");
    assert.ok(first <= 2, `first block is one window (2 s), Retry-After ${first}`);

    await sleep(first * 1000 + 250);
    assert.equal((await fromB(email, PASSWORD)).status, 200, "never locked out for good");

    for (let i = 0; i < 3; i++) assertError(await fromB(email, "wrong password"), 401, "invalid_credentials");
    const second = assertLimited(await fromB(email, PASSWORD));
    assert.ok(second > first, `the second block is longer: ${second} s after ${first} s`);
  });

  test("a burst of parallel guesses cannot outrun the count", async () => {
    const { email } = await registered(b.url);
    const results = await Promise.all(Array.from({ length: 20 }, () => fromB(email, "wrong password")));
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(","));
    assert.ok(statuses.filter((s) => s === 401).length <= 3, `at most 3 passwords checked, got ${statuses.join(",")}`);
  });

  test("fresh-login and password change guesses count against the same account as login", async () => {
    const { client, email } = await registered(b.url);
    const headers = { "x-forwarded-for": newAddress() };
    assertError(await client.post("/api/auth/fresh-login", { password: "wrong password" }, { headers }), 401, "invalid_credentials");
    assertError(await client.put("/api/account/password", { currentPassword: "wrong password", newPassword: "another password" }, { headers }), 401, "invalid_credentials");
    assertError(await client.post("/api/auth/fresh-login", { password: "wrong password" }, { headers }), 401, "invalid_credentials");
    assertLimited(await client.post("/api/auth/fresh-login", { password: PASSWORD }, { headers }));
    assertLimited(await fromB(email, PASSWORD), "login is limited too");
  });

  test("counters live in the database: failures on A and on B add up", async () => {
    const { email } = await registered(a.url);
    assertError(await login(a, email, "wrong password"), 401, "invalid_credentials");
    assertError(await fromB(email, "wrong password"), 401, "invalid_credentials");
    assertError(await login(a, email, "wrong password"), 401, "invalid_credentials");
    assertLimited(await fromB(email, PASSWORD), "B knows about A's failures");
  });
});

describe("an attacker cannot lock the owner out (known addresses, live sessions)", () => {
  /** Locks `email` from outside: every guess from a new address. */
  async function lockFromOutside(email: string) {
    for (let i = 0; i < 3; i++) assertError(await fromB(email, "wrong password"), 401, "invalid_credentials");
    assertLimited(await fromB(email, PASSWORD), "an address that never signed in waits out the block");
  }

  async function registerFrom(address: string) {
    const email = uniqueEmail();
    const res = await new Client(b.url).post("/api/auth/register", { email, password: PASSWORD }, { headers: { "x-forwarded-for": address } });
    assert.equal(res.status, 201);
    return email;
  }

  test("the owner keeps signing in from an address it signed in from; strangers wait", async () => {
    const home = newAddress();
    const email = await registerFrom(home);
    await lockFromOutside(email);
    assert.equal((await fromB(email, PASSWORD, home)).status, 200, "home is judged by its own limit, not the account's");
    assert.equal((await fromB(email, PASSWORD, home)).status, 200, "and again: successes never count");

    const elsewhere = newAddress();
    await registerFrom(elsewhere);
    assertLimited(await fromB(email, PASSWORD, elsewhere), "an address known to ANOTHER account is a stranger here");
  });

  test("a signed-in owner can still confirm the password (fresh-login) while the account is locked", async () => {
    const { client, email } = await registered(b.url);
    await lockFromOutside(email);
    const res = await client.post("/api/auth/fresh-login", { password: PASSWORD }, { headers: { "x-forwarded-for": newAddress() } });
    assert.equal(res.status, 200);
    assert.equal(res.data.session.fresh, true);
  });

  test("a known address has a limit of its own, and its failures still count against the account", async () => {
    const home = newAddress();
    const email = await registerFrom(home);
    for (let i = 0; i < 3; i++) assertError(await fromB(email, "wrong password", home), 401, "invalid_credentials");
    assertLimited(await fromB(email, PASSWORD, home), "the known address itself");
    assertLimited(await fromB(email, PASSWORD), "the account saw its failures");
  });
});

describe("change-email probing", () => {
  test("each taken e-mail counts against the user and the address, as on register", async () => {
    const { email: taken } = await registered(b.url);
    const prober = newAddress();
    const headers = { "x-forwarded-for": prober };
    const first = await registered(b.url);
    for (let i = 0; i < 3; i++) assertError(await first.client.put("/api/account/email", { email: taken }, { headers }), 409, "email_taken");
    assertLimited(await first.client.put("/api/account/email", { email: uniqueEmail("free") }, { headers }), "the user's own limit");

    const [second, third] = await Promise.all([registered(b.url), registered(b.url)]);
    for (let i = 0; i < 3; i++) assertError(await second.client.put("/api/account/email", { email: taken }, { headers }), 409, "email_taken");
    assertLimited(await third.client.put("/api/account/email", { email: taken }, { headers }), "6 probes from this address: a fresh account waits too");
  });
});

describe("per client address", () => {
  test("password spraying: one password across many accounts from one address is stopped; other addresses are not", async () => {
    const sprayer = newAddress();
    let tries = 0;
    let last = 0;
    while (tries < 10 && last !== 429) {
      tries++;
      last = (await fromB(uniqueEmail("spray"), "Summer2026!", sprayer)).status;
    }
    assert.equal(last, 429, "the address limit (6 failures in 3 s) stops the spray");
    assert.equal(tries, 7);
    const { email } = await registered(b.url);
    assert.equal((await fromB(email, PASSWORD)).status, 200, "a different address is unaffected");
  });

  test("register probing for taken e-mails counts against the address", async () => {
    const { email } = await registered(b.url);
    const prober = newAddress();
    const probe = () => new Client(b.url).post("/api/auth/register", { email, password: PASSWORD }, { headers: { "x-forwarded-for": prober } });
    for (let i = 0; i < 6; i++) assertError(await probe(), 409, "email_taken");
    assertLimited(await probe());
  });

  test("without AUTH_TRUST_PROXY neither X-Forwarded-For nor a forged peer header changes the address", async () => {
    // Server A counts the TCP peer. Each guess claims a new address in both
    // headers; if either were believed the limit would never be reached.
    // The peer (127.0.0.1) may already have failures on A from the test above,
    // in a fixed window that can end mid-loop: so at most two windows' worth
    // of guesses (2 × 6), never the endless run a believed header allows.
    let tries = 0;
    let last = 0;
    while (tries < 20 && last !== 429) {
      tries++;
      const claimed = newAddress();
      last = (await login(a, uniqueEmail("xff"), "Summer2026!", { "x-forwarded-for": claimed, "x-fresh-auth-peer": claimed })).status;
    }
    assert.equal(last, 429, "the peer address was limited");
    assert.ok(tries <= 13, `${tries} tries`);
  });

  test("with AUTH_TRUST_PROXY=1 only the LAST X-Forwarded-For entry counts (the one our proxy appended)", async () => {
    const proxySaw = newAddress();
    let last = 0;
    for (let i = 0; i < 7 && last !== 429; i++) {
      last = (await fromB(uniqueEmail("xff"), "Summer2026!", `${newAddress()}, ${proxySaw}`)).status;
    }
    assert.equal(last, 429, "rotating the client-chosen first entries does not escape the limit");
  });
});

describe("X-Forwarded-For spellings (issue 10 item 7)", () => {
  async function guessesUntilLimited(spell: (i: number) => string): Promise<number> {
    let checked = 0;
    for (let i = 0; i < 10; i++) {
      const res = await fromB(uniqueEmail("port"), "Summer2026!", spell(i));
      if (res.status === 401) checked++;
      else assertLimited(res, `guess ${i + 1} from ${spell(i)}`);
    }
    return checked;
  }

  test("an IPv4 address with a port is the address: varying ports do not escape the limit", async () => {
    const base = newAddress();
    assert.ok((await guessesUntilLimited((i) => `${base}:${5000 + i}`)) <= 6);
  });

  test("a bracketed IPv6 address with a port is the address's /64", async () => {
    const n = (addressCounter++).toString(16);
    assert.ok((await guessesUntilLimited((i) => `[2001:db8:${n}::${i + 1}]:${443 + i}`)) <= 6);
  });

  test("values that are no address at all share one bucket", async () => {
    assert.ok((await guessesUntilLimited((i) => `garbage-${addressCounter++}-${i}`)) <= 6);
  });
});
