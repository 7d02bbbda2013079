// Without SMTP_URL (plain `npm start`), mail is written as .eml files and one
// log line names each file; the link inside works.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { simpleParser } from "mailparser";
import { Client, registered, sleep, startServer, type TestServer } from "./harness";

let server: TestServer;
const dir = mkdtempSync(path.join(tmpdir(), "outbox-http-"));
before(async () => {
  server = await startServer({ MAIL_OUTBOX_DIR: dir, LOG_LEVEL: "info" });
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitForFiles(count: number): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const files = readdirSync(dir).filter((f) => f.endsWith(".eml")).sort();
    if (files.length >= count) return files;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} .eml files in ${dir}`);
}

test("no SMTP_URL: the reset mail is an .eml file named by one log line, and its link resets the password", async () => {
  const { email } = await registered(server.url);
  await waitForFiles(1); // the verification mail
  assert.equal((await new Client(server.url).post("/api/auth/password-reset", { email })).status, 202);
  const files = await waitForFiles(2);
  const mails = await Promise.all(files.map(async (f) => ({ file: f, mail: await simpleParser(readFileSync(path.join(dir, f))) })));
  const reset = mails.find((m) => m.mail.subject === "Reset your Fresh Auth password")!;
  assert.ok(reset, "the reset mail is in the outbox");
  assert.ok(reset.mail.html && reset.mail.text, "text and HTML parts");
  const token = /#token=([A-Za-z0-9_-]+)/.exec(reset.mail.text ?? "")![1];
  await sleep(200);
  const lines = server.output().split("\n").filter((l) => l.includes(reset.file));
  assert.equal(lines.length, 1, "one log line names the file");
  assert.ok(!server.output().includes(token), "the link itself is never logged");
  const res = await new Client(server.url).post("/api/auth/password-reset/confirm", { token, newPassword: "reset from the outbox" });
  assert.equal(res.status, 200);
});
