// Verified e-mail, the confirmed e-mail change and the new sign-in notice,
// against a real server whose mail goes to a real SMTP server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { linkIn, startSmtpSink, type SmtpSink } from "../mail/smtp-sink";
import { sql } from "../db/sql";
import { Client, PASSWORD, registered, sleep, startServer, uniqueEmail, type TestServer } from "./harness";

let sink: SmtpSink;
let server: TestServer;
before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ SMTP_URL: sink.url });
});
after(async () => {
  await server?.stop();
  await sink?.stop();
});

const mailTo = (to: string, subject: string, since = 0) => sink.waitFor((m) => m.to.includes(to) && m.subject === subject && m.seq >= since);
const verify = (token: string) => new Client(server.url).post("/api/auth/verify-email", { token });
const VERIFY = "Confirm your email for Fresh Auth";
const CHANGE = "Confirm your new email for Fresh Auth";
const NOTICE = "Your Fresh Auth email is about to change";

async function verified(databaseUrl: string, id: string): Promise<boolean> {
  const [row] = await sql<{ emailVerified: number | boolean }>(databaseUrl, `SELECT "emailVerified" FROM "User" WHERE "id" = ?`, [id]);
  return Boolean(row.emailVerified);
}

describe("verified e-mail", () => {
  test("registration mails a link; POST /api/auth/verify-email marks the address verified, once", async () => {
    const { email, user } = await registered(server.url);
    assert.equal(await verified(server.databaseUrl, user.id), false);
    const mail = await mailTo(email, VERIFY);
    const link = linkIn(mail);
    assert.ok(link.url.startsWith(`${server.url}/verify-email#token=`), link.url);
    assert.ok(mail.html.includes(link.url));

    const res = await verify(link.token);
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.data.user.email, email);
    assert.equal(res.data.user.emailVerified, true);
    assert.equal(await verified(server.databaseUrl, user.id), true);
    const again = await verify(link.token);
    assert.equal(again.status, 400);
    assert.equal(again.data.error, "invalid_link");
  });

  test("POST /api/account/email/verification: 202, a new link that voids the previous one; needs a session", async () => {
    const { email, client } = await registered(server.url);
    const first = linkIn(await mailTo(email, VERIFY));
    const since = sink.messages.length;
    const res = await client.post("/api/account/email/verification");
    assert.equal(res.status, 202);
    const second = linkIn(await mailTo(email, VERIFY, since));
    assert.notEqual(second.token, first.token);
    assert.equal((await verify(first.token)).data.error, "invalid_link", "superseded");
    assert.equal((await verify(second.token)).status, 200);
    assert.equal((await new Client(server.url).post("/api/account/email/verification")).status, 401);
  });

  test("unknown tokens and malformed bodies", async () => {
    assert.equal((await verify("nope")).data.error, "invalid_link");
    const res = await new Client(server.url).post("/api/auth/verify-email", {});
    assert.equal(res.status, 400);
    assert.equal(res.data.error, "invalid_request");
  });
});

describe("PUT /api/account/email (fresh) → 202, and the change happens only through the link", () => {
  test("a link to the NEW address, a notice to the OLD one; nothing changes until the link is used", async () => {
    const { email, client } = await registered(server.url);
    const newEmail = uniqueEmail("moved");
    const since = sink.messages.length;
    const res = await client.put("/api/account/email", { email: ` ${newEmail.toUpperCase()} ` });
    assert.equal(res.status, 202, JSON.stringify(res.data));
    assert.deepEqual(res.data, { pendingEmail: newEmail });
    assert.equal((await client.get("/api/me")).data.user.email, email, "not yet");

    const link = linkIn(await mailTo(newEmail, CHANGE, since));
    const notice = await mailTo(email, NOTICE, since);
    assert.match(notice.text, /If this wasn't you, reset your password/);
    assert.ok(notice.text.includes(newEmail));
    assert.ok(notice.text.includes(`${server.url}/forgot-password`));
    assert.ok(!notice.text.includes(link.token), "the old address never gets the link");

    const used = await verify(link.token);
    assert.equal(used.status, 200, JSON.stringify(used.data));
    assert.equal(used.data.user.email, newEmail);
    assert.equal(used.data.user.emailVerified, true);
    assert.equal((await client.get("/api/me")).data.user.email, newEmail);
    assert.equal((await new Client(server.url).post("/api/auth/login", { email: newEmail, password: PASSWORD })).status, 200);
    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD })).status, 401);
    assert.equal((await verify(link.token)).data.error, "invalid_link", "used");
  });

  test("an address taken between the request and the link is never given: 409, the account keeps its address", async () => {
    const { email, client } = await registered(server.url);
    const wanted = uniqueEmail("wanted");
    const since = sink.messages.length;
    assert.equal((await client.put("/api/account/email", { email: wanted })).status, 202);
    const link = linkIn(await mailTo(wanted, CHANGE, since));
    await registered(server.url, wanted);
    const res = await verify(link.token);
    assert.equal(res.status, 409);
    assert.equal(res.data.error, "email_taken");
    assert.equal((await client.get("/api/me")).data.user.email, email);
  });

  test("a change racing a registration of the same address: exactly one account ends up with it", async () => {
    for (let round = 0; round < 3; round++) {
      const { client } = await registered(server.url);
      const wanted = uniqueEmail("race");
      const since = sink.messages.length;
      assert.equal((await client.put("/api/account/email", { email: wanted })).status, 202);
      const link = linkIn(await mailTo(wanted, CHANGE, since));
      const [changed, signup] = await Promise.all([verify(link.token), new Client(server.url).post("/api/auth/register", { email: wanted, password: PASSWORD })]);
      const outcome = `round ${round}: change ${changed.status}, register ${signup.status}`;
      // Either the change commits first (the registration gets 409) or the registration does (the link gets 409).
      assert.ok((changed.status === 200 && signup.status === 409) || (changed.status === 409 && signup.status === 201), outcome);
      if (changed.status === 409) assert.equal(changed.data.error, "email_taken", outcome);
      const rows = await sql(server.databaseUrl, `SELECT "id" FROM "User" WHERE "email" = ?`, [wanted]);
      assert.equal(rows.length, 1);
    }
  });

  test("a newer request voids the older link; a password reset voids a pending change", async () => {
    const { email, client } = await registered(server.url);
    const [one, two] = [uniqueEmail("one"), uniqueEmail("two")];
    let since = sink.messages.length;
    await client.put("/api/account/email", { email: one });
    const first = linkIn(await mailTo(one, CHANGE, since));
    since = sink.messages.length;
    await client.put("/api/account/email", { email: two });
    const second = linkIn(await mailTo(two, CHANGE, since));
    assert.equal((await verify(first.token)).data.error, "invalid_link", "superseded");

    since = sink.messages.length;
    await new Client(server.url).post("/api/auth/password-reset", { email });
    const reset = linkIn(await mailTo(email, "Reset your Fresh Auth password", since));
    assert.equal((await new Client(server.url).post("/api/auth/password-reset/confirm", { token: reset.token, newPassword: "the owner took it back" })).status, 200);
    assert.equal((await verify(second.token)).data.error, "invalid_link", "the owner's reset cancels the change");
  });

  test("the current address and a taken one are refused at once", async () => {
    const { email, client } = await registered(server.url);
    const taken = await registered(server.url);
    const same = await client.put("/api/account/email", { email });
    assert.equal(same.status, 400);
    assert.ok(same.data.fields.email);
    const clash = await client.put("/api/account/email", { email: taken.email });
    assert.equal(clash.status, 409);
    assert.equal(clash.data.error, "email_taken");
  });
});

describe("new sign-in notice", () => {
  const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
  test("a browser and address the account never used get 'New sign-in to Fresh Auth'; known ones do not", async () => {
    const { email } = await registered(server.url); // Node's fetch user agent, from 127.0.0.1
    const signIn = (userAgent?: string) =>
      new Client(server.url).post("/api/auth/login", { email, password: PASSWORD }, { headers: userAgent ? { "user-agent": userAgent } : {} });
    assert.equal((await signIn()).status, 200);
    assert.equal((await signIn(FIREFOX)).status, 200);
    const notice = await mailTo(email, "New sign-in to Fresh Auth");
    assert.match(notice.text, /Firefox on Linux/);
    assert.match(notice.text, /127\.0\.0\.1/);
    assert.ok(notice.text.includes(`${server.url}/account`));
    assert.equal((await signIn(FIREFOX)).status, 200);
    await sleep(700);
    assert.equal(sink.to(email).filter((m) => m.subject === "New sign-in to Fresh Auth").length, 1, "once per browser and address");
  });
});
