import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { simpleParser } from "mailparser";
import { passwordResetMail } from "./messages";
import { outboxTransport } from "./outbox";

const root = mkdtempSync(path.join(tmpdir(), "outbox-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("outbox transport", () => {
  test("writes each message as one .eml file (0600, in a folder it creates) with a text and an HTML part", async () => {
    const dir = path.join(root, "a", "outbox");
    const transport = outboxTransport(dir, "Fresh Auth <no-reply@localhost>");
    const message = passwordResetMail({ to: "ann@example.com", origin: "http://localhost:3000", token: "tok_123-abc", ttlSeconds: 1800 });
    const sent = await transport.send(message);

    assert.equal(transport.kind, "outbox");
    assert.ok(sent.file?.startsWith(dir) && sent.file.endsWith(".eml"), sent.file);
    assert.deepEqual(readdirSync(dir), [path.basename(sent.file!)]);
    assert.equal(statSync(sent.file!).mode & 0o777, 0o600, "the file holds a live link");
    assert.equal(statSync(dir).mode & 0o777, 0o700);

    const parsed = await simpleParser(readFileSync(sent.file!));
    assert.equal(parsed.subject, "Reset your Fresh Auth password");
    assert.deepEqual(parsed.from?.value.map((a) => [a.name, a.address]), [["Fresh Auth", "no-reply@localhost"]]);
    assert.equal(Array.isArray(parsed.to) ? "" : parsed.to?.text, "ann@example.com");
    assert.match(parsed.text ?? "", /http:\/\/localhost:3000\/reset-password#token=tok_123-abc/);
    assert.match(String(parsed.html), /href="http:\/\/localhost:3000\/reset-password#token=tok_123-abc"/);
    assert.equal(parsed.messageId, sent.messageId);
  });

  test("two messages never share a file", async () => {
    const dir = path.join(root, "b");
    const transport = outboxTransport(dir, "x@localhost");
    const message = { to: "b@example.com", subject: "s", text: "t", html: "<p>t</p>" };
    const [one, two] = await Promise.all([transport.send(message), transport.send(message)]);
    assert.notEqual(one.file, two.file);
    assert.equal(readdirSync(dir).length, 2);
  });

  test("a .eml file is never seen half written", async () => {
    // A reader polling for *.eml (a test waiting for a reset link, a mail
    // client) while a large message is written: every .eml it sees is whole.
    const dir = path.join(root, "d");
    const transport = outboxTransport(dir, "x@localhost");
    const big = "<p>" + "x".repeat(8 * 1024 * 1024) + "</p>";
    mkdirSync(dir, { recursive: true });
    let writing = true;
    const seenSizes: number[] = [];
    const poll = (async () => {
      while (writing) {
        for (const name of readdirSync(dir, { withFileTypes: true })) {
          if (name.name.endsWith(".eml")) seenSizes.push(statSync(path.join(dir, name.name)).size);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const sent = await transport.send({ to: "d@example.com", subject: "big", text: "t", html: big });
    writing = false;
    await poll;
    const whole = statSync(sent.file!).size;
    assert.ok(whole > 8 * 1024 * 1024);
    assert.deepEqual([...new Set(seenSizes)].filter((size) => size !== whole), [], "no partial .eml was visible");
    assert.deepEqual(readdirSync(dir), [path.basename(sent.file!)], "nothing but the message is left in the folder");
  });

  test("the HTML part escapes what users typed", async () => {
    const sent = await outboxTransport(path.join(root, "c"), "x@localhost").send(
      passwordResetMail({ to: "c@example.com", origin: "http://a<b>.test", token: "t", ttlSeconds: 60 }),
    );
    const parsed = await simpleParser(readFileSync(sent.file!));
    assert.doesNotMatch(String(parsed.html), /a<b>/);
    assert.match(String(parsed.html), /a&lt;b&gt;/);
  });
});
