// Password reset against a real server whose mail goes to a real SMTP server
// (tests/mail/smtp-sink.ts): DESIGN.md, "Account recovery and verified e-mail".
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { linkIn, startSmtpSink, type ReceivedMail, type SmtpSink } from "../mail/smtp-sink";
import { sql } from "../db/sql";
import { Client, PASSWORD, registered, sleep, startServer, uniqueEmail, type TestServer } from "./harness";
import { nextCode, withTotp, wrongCode } from "./totp-helpers";

const NEW_PASSWORD = "a completely new passphrase";
let sink: SmtpSink;
let server: TestServer;
before(async () => {
  sink = await startSmtpSink();
  // LOG_LEVEL info: the log is checked for tokens below.
  server = await startServer({ SMTP_URL: sink.url, LOG_LEVEL: "info" });
});
after(async () => {
  await server?.stop();
  await sink?.stop();
});

const resetMail = (to: string, after = 0) => sink.waitFor((m) => m.to.includes(to) && m.subject === "Reset your Fresh Auth password" && m.seq >= after);

async function requestReset(email: string) {
  const res = await new Client(server.url).post("/api/auth/password-reset", { email });
  assert.equal(res.status, 202, JSON.stringify(res.data));
  return res;
}

async function resetLink(email: string): Promise<{ token: string; mail: ReceivedMail }> {
  const since = sink.messages.length;
  await requestReset(email);
  const mail = await resetMail(email, since);
  return { token: linkIn(mail).token, mail };
}

const confirm = (client: Client, token: string, newPassword = NEW_PASSWORD, extra: Record<string, string> = {}) =>
  client.post("/api/auth/password-reset/confirm", { token, newPassword, ...extra });

describe("POST /api/auth/password-reset", () => {
  test("202 {} and a mail with a text and an HTML part, the app's origin in the link, the token in the fragment", async () => {
    const { email } = await registered(server.url);
    const since = sink.messages.length;
    const res = await requestReset(email);
    assert.deepEqual(res.data, {});
    assert.equal(res.headers.get("cache-control"), "no-store");
    const mail = await resetMail(email, since);
    const link = linkIn(mail);
    assert.equal(link.url.startsWith(`${server.url}/reset-password#token=`), true, link.url);
    assert.ok(Buffer.from(link.token, "base64url").length >= 16, "at least 128 bits");
    assert.ok(mail.html.includes(link.url), "the HTML part has the same link");
    assert.equal(mail.from, "no-reply@localhost");
    assert.ok(!server.output().includes(link.token), "the token is never logged");
  });

  test("an unknown address gets the same answer and no mail", async () => {
    const { email } = await registered(server.url);
    const ghost = uniqueEmail("ghost");
    const [real, unknown] = [await requestReset(email), await requestReset(ghost)];
    assert.deepEqual([unknown.status, unknown.data], [real.status, real.data]);
    await resetMail(email);
    await sleep(500);
    assert.equal(sink.to(ghost).length, 0);
  });

  test("validates the address", async () => {
    const res = await new Client(server.url).post("/api/auth/password-reset", { email: "not an address" });
    assert.equal(res.status, 400);
    assert.equal(res.data.error, "invalid_request");
    assert.ok(res.data.fields.email);
  });

  test("a mail the SMTP server refuses at first is retried and arrives", async () => {
    const { email } = await registered(server.url);
    await sink.waitFor((m) => m.to.includes(email)); // the verification mail, out of the way
    sink.failNext(1);
    const [since, started] = [sink.messages.length, Date.now()];
    await requestReset(email);
    const mail = await resetMail(email, since);
    assert.ok(mail.receivedAt - started >= 1_500, "the second attempt, after the retry delay");
    assert.match(server.output(), /mail not delivered: will retry/);
  });
});

describe("POST /api/auth/password-reset/confirm", () => {
  test("new password, every other session revoked, signed in fresh here, a 'Password reset' notice", async () => {
    const { email, client: phone } = await registered(server.url);
    const laptop = new Client(server.url);
    assert.equal((await laptop.post("/api/auth/login", { email, password: PASSWORD })).status, 200);
    const { token } = await resetLink(email);

    const here = new Client(server.url);
    const res = await confirm(here, token);
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.data.user.email, email);
    assert.equal(res.data.session.fresh, true);
    assert.equal((await here.get("/api/me")).status, 200, "signed in on this device");

    for (const other of [phone, laptop]) {
      const me = await other.get("/api/me");
      assert.equal(me.status, 401);
      assert.equal(me.data.error, "token_revoked");
      assert.equal((await other.post("/api/auth/refresh")).data.error, "token_revoked");
    }
    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD })).status, 401, "the old password is gone");
    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: NEW_PASSWORD })).status, 200);

    const notice = await sink.waitFor((m) => m.to.includes(email) && m.subject === "Password reset");
    assert.match(notice.text, /reset/);
    assert.ok(notice.text.includes(`${server.url}/forgot-password`));
    const [row] = await sql<{ emailVerified: number | boolean }>(server.databaseUrl, `SELECT "emailVerified" FROM "User" WHERE "email" = ?`, [email]);
    assert.ok(row.emailVerified, "using a reset link proves the address");
  });

  test("a session refreshing at the very moment of the reset is revoked too", async () => {
    const { email, client: other } = await registered(server.url);
    const { token } = await resetLink(email);
    const [refreshed, reset] = await Promise.all([other.post("/api/auth/refresh"), confirm(new Client(server.url), token)]);
    assert.equal(reset.status, 200);
    assert.ok([200, 401].includes(refreshed.status));
    // Whichever committed first, the other device holds nothing that works now.
    assert.equal((await other.get("/api/me")).data.error, "token_revoked");
    assert.equal((await other.post("/api/auth/refresh")).data.error, "token_revoked");
  });

  test("invalid_link: unknown, used, superseded, voided by a password change", async () => {
    const expectInvalid = async (token: string, why: string) => {
      const res = await confirm(new Client(server.url), token);
      assert.equal(res.status, 400, why);
      assert.deepEqual(Object.keys(res.data).sort(), ["description", "error"], why);
      assert.equal(res.data.error, "invalid_link", why);
    };
    await expectInvalid("A".repeat(43), "unknown");

    const a = await registered(server.url);
    const first = await resetLink(a.email);
    const second = await resetLink(a.email);
    await expectInvalid(first.token, "superseded by a newer link");
    assert.equal((await confirm(new Client(server.url), second.token)).status, 200);
    await expectInvalid(second.token, "used");

    const b = await registered(server.url);
    const link = await resetLink(b.email);
    assert.equal((await b.client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "changed it myself" })).status, 204);
    await expectInvalid(link.token, "the password changed since");
  });

  test("a link works once even when used twice at the same time", async () => {
    const { email } = await registered(server.url);
    const { token } = await resetLink(email);
    const results = await Promise.all([confirm(new Client(server.url), token, "first new password"), confirm(new Client(server.url), token, "second new password")]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
  });

  test("validates the new password and keeps the link", async () => {
    const { email } = await registered(server.url);
    const { token } = await resetLink(email);
    const short = await confirm(new Client(server.url), token, "short");
    assert.equal(short.status, 400);
    assert.equal(short.data.error, "invalid_request");
    assert.ok(short.data.fields.newPassword);
    assert.equal((await confirm(new Client(server.url), token)).status, 200);
  });

  test("an account with an authenticator app must also give a code (second_factor_required), the link kept", async () => {
    const { email, secret, recoveryCodes } = await withTotp(server.url);
    const { token } = await resetLink(email);
    const missing = await confirm(new Client(server.url), token);
    assert.equal(missing.status, 401);
    assert.equal(missing.data.error, "second_factor_required");
    assert.deepEqual(missing.data.methods, ["totp", "recovery_code"]);
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer error="second_factor_required"');
    const wrong = await confirm(new Client(server.url), token, NEW_PASSWORD, { code: wrongCode(secret) });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.data.error, "invalid_credentials");
    const client = new Client(server.url);
    const ok = await confirm(client, token, NEW_PASSWORD, { code: await nextCode(secret) });
    assert.equal(ok.status, 200, "the link was not spent by the failures");
    assert.deepEqual(ok.data.session.methods, ["password", "totp"]);
    assert.equal((await client.get("/api/me")).status, 200);

    // A recovery code works too, once.
    const again = await resetLink(email);
    const viaRecovery = await confirm(new Client(server.url), again.token, "yet another passphrase!", { recoveryCode: recoveryCodes[0] });
    assert.equal(viaRecovery.status, 200);
    assert.deepEqual(viaRecovery.data.session.methods, ["password", "recovery_code"]);
    const third = await resetLink(email);
    assert.equal((await confirm(new Client(server.url), third.token, NEW_PASSWORD, { recoveryCode: recoveryCodes[0] })).data.error, "invalid_credentials");
  });
});

describe("expiry", () => {
  test("a link older than AUTH_EMAIL_TOKEN_TTL is invalid_link", async () => {
    const short = await startServer({ SMTP_URL: sink.url, AUTH_EMAIL_TOKEN_TTL: "2s" });
    try {
      const { email } = await registered(short.url);
      const since = sink.messages.length;
      await new Client(short.url).post("/api/auth/password-reset", { email });
      const { token } = linkIn(await resetMail(email, since));
      await sleep(2_500);
      const res = await new Client(short.url).post("/api/auth/password-reset/confirm", { token, newPassword: NEW_PASSWORD });
      assert.equal(res.status, 400);
      assert.equal(res.data.error, "invalid_link");
    } finally {
      await short.stop();
    }
  });
});
