// Rate limits of the e-mail link routes: per client address (429) and per
// account (still 202, no mail), with real mail to a real SMTP server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startSmtpSink, type SmtpSink } from "../mail/smtp-sink";
import { Client, registered, sleep, startServer, uniqueEmail, type TestServer } from "./harness";

let sink: SmtpSink;
let server: TestServer;
before(async () => {
  sink = await startSmtpSink();
  // AUTH_TRUST_PROXY lets each test speak from its own client address.
  server = await startServer({ SMTP_URL: sink.url, AUTH_TRUST_PROXY: "1", AUTH_RATE_LIMIT_ADDRESS: "5/15m", AUTH_RATE_LIMIT_MAIL: "3/15m" });
});
after(async () => {
  await server?.stop();
  await sink?.stop();
});

let nextAddress = 1;
const fromNewAddress = () => ({ "x-forwarded-for": `203.0.113.${nextAddress++}` });
const reset = (email: string, headers: Record<string, string>) => new Client(server.url).post("/api/auth/password-reset", { email }, { headers });

describe("per client address", () => {
  test("reset requests: 429 rate_limited with Retry-After after 5, for known and unknown e-mails alike; other addresses unaffected", async () => {
    const { email } = await registered(server.url);
    const headers = fromNewAddress();
    for (let i = 0; i < 5; i++) assert.equal((await reset(i % 2 ? email : uniqueEmail("ghost"), headers)).status, 202, `request ${i + 1}`);
    for (const target of [email, uniqueEmail("ghost")]) {
      const limited = await reset(target, headers);
      assert.equal(limited.status, 429);
      assert.equal(limited.data.error, "rate_limited");
      assert.ok(Number(limited.headers.get("retry-after")) > 0);
    }
    assert.equal((await reset(email, fromNewAddress())).status, 202);
  });

  test("link confirmations count too: a guesser is stopped, and then even a real link waits", async () => {
    const headers = fromNewAddress();
    const confirm = (token: string) => new Client(server.url).post("/api/auth/password-reset/confirm", { token, newPassword: "new password here" }, { headers });
    const verify = (token: string) => new Client(server.url).post("/api/auth/verify-email", { token }, { headers });
    for (let i = 0; i < 3; i++) assert.equal((await confirm(`guess-${i}`)).data.error, "invalid_link");
    for (let i = 0; i < 2; i++) assert.equal((await verify(`guess-${i}`)).data.error, "invalid_link");
    assert.equal((await confirm("guess-x")).status, 429);
    assert.equal((await verify("guess-y")).status, 429);
  });
});

describe("per account", () => {
  test("over the account's mail budget the answer stays 202 and no mail is sent", async () => {
    const { email } = await registered(server.url); // the verification mail: 1 of 3
    await sink.waitFor((m) => m.to.includes(email));
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await reset(email, fromNewAddress()));
    assert.deepEqual(
      answers.map((a) => [a.status, a.data]),
      Array(4).fill([202, {}]),
    );
    await sleep(1_000);
    const resets = sink.to(email).filter((m) => m.subject === "Reset your Fresh Auth password");
    assert.equal(resets.length, 2, "budget of 3, one spent by registration");
  });
});
