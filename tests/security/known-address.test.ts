// Issue 10 item 5 — known-address trust (decision 405) belongs to one
// account: keyed by user id + address, forgotten with the account and on an
// e-mail change (decision 605). One-minute windows, so a busy machine cannot
// let a block run out between the steps of a test.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, startServer, uniqueEmail, type TestServer } from "../http/harness";
import { assertError } from "./helpers";

let b: TestServer;
before(async () => {
  b = await startServer({ AUTH_RATE_LIMIT_ACCOUNT: "3/1m", AUTH_RATE_LIMIT_ADDRESS: "100/1m", AUTH_TRUST_PROXY: "1" });
});
after(() => b?.stop());

let addressCounter = 0;
const newAddress = () => `198.18.${addressCounter >> 8}.${addressCounter++ & 255}`;
const fromB = (email: string, password: string, address = newAddress()) =>
  new Client(b.url).post("/api/auth/login", { email, password }, { headers: { "x-forwarded-for": address } });

function assertLimited(res: { status: number; data: any; headers: Headers }, context = "") {
  assertError(res, 429, "rate_limited", context);
  assert.ok(Number(res.headers.get("retry-after")) >= 1);
}

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

describe("known addresses belong to the account, not to its e-mail", () => {
  test("known-address trust belongs to the account, not the e-mail: it dies with the account (issue 10 item 5)", async () => {
    // An attacker pre-registers the victim's address and signs in from four
    // addresses of its own, then deletes the account.
    const squatted = await registerFrom(newAddress());
    const attackerAddresses = Array.from({ length: 4 }, newAddress);
    for (const address of attackerAddresses) assert.equal((await fromB(squatted, PASSWORD, address)).status, 200);
    const squatter = new Client(b.url);
    await squatter.post("/api/auth/login", { email: squatted, password: PASSWORD }, { headers: { "x-forwarded-for": attackerAddresses[0] } });
    assert.equal((await squatter.delete("/api/account", { headers: { "x-forwarded-for": attackerAddresses[0] } })).status, 204);

    // The real owner registers; the account is then locked for strangers.
    const owner = await new Client(b.url).post("/api/auth/register", { email: squatted, password: "the owner's own password" }, { headers: { "x-forwarded-for": newAddress() } });
    assert.equal(owner.status, 201);
    await lockFromOutside(squatted);
    for (const address of attackerAddresses) {
      assertLimited(await fromB(squatted, "wrong password", address), `the squatter's address ${address} is a stranger to the new account`);
    }
  });

  test("an e-mail change forgets the addresses known under the old one", async () => {
    const home = newAddress();
    const email = await registerFrom(home);
    const client = new Client(b.url);
    await client.post("/api/auth/login", { email, password: PASSWORD }, { headers: { "x-forwarded-for": home } });
    const moved = uniqueEmail("moved");
    const changed = await client.put("/api/account/email", { email: moved }, { headers: { "x-forwarded-for": home } });
    assert.ok(changed.status === 200 || changed.status === 202, `change-email ${changed.status}`);
    if (changed.status === 200) {
      await lockFromOutside(moved);
      assertLimited(await fromB(moved, PASSWORD, home), "trust earned under the old address does not carry over");
    }
  });
});
