import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, uniqueEmail, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer({ AUTH_RATE_LIMIT_ACCOUNT: "3/1m", AUTH_RATE_LIMIT_ADDRESS: "8/1m" });
});
after(() => server?.stop());

describe("rate limits on failed password checks", () => {
  test("per account: after 3 failures even the right password waits, with Retry-After", async () => {
    const { email } = await registered(server.url);
    const c = new Client(server.url, {});
    for (let i = 0; i < 3; i++) assert.equal((await c.post("/api/auth/login", { email, password: "wrong password" })).status, 401);
    const limited = await c.post("/api/auth/login", { email, password: PASSWORD });
    assert.equal(limited.status, 429);
    assert.equal(limited.data.error, "rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  });

  test("successes never count", async () => {
    const { email } = await registered(server.url);
    for (let i = 0; i < 6; i++) assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD })).status, 200);
  });

  test("unknown e-mails are limited exactly like real ones (nothing to learn)", async () => {
    const ghost = uniqueEmail("ghost");
    const c = new Client(server.url);
    for (let i = 0; i < 3; i++) assert.equal((await c.post("/api/auth/login", { email: ghost, password: "wrong password" })).status, 401);
    assert.equal((await c.post("/api/auth/login", { email: ghost, password: "wrong password" })).status, 429);
  });
});

describe("per client address", () => {
  test("password spraying across many accounts from one address is stopped", async () => {
    let status = 0;
    let tries = 0;
    while (tries < 12) {
      tries++;
      status = (await new Client(server.url).post("/api/auth/login", { email: uniqueEmail("spray"), password: "Summer2026!" })).status;
      if (status === 429) break;
    }
    assert.equal(status, 429, "the address limit (8 failures a minute) kicks in");
    assert.ok(tries <= 8 + 1);
  });
});
