// Issue 10, item 13: a refused body that was not read to its end must not
// leave the connection in an undefined state. After the 413 the connection is
// either closed or answers the next request correctly; it never hangs and
// never reads body bytes as a request (a request-desync risk behind a
// keep-alive proxy). Raw sockets, because fetch and node:http hide exactly
// the part under test.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { startServer, type TestServer } from "../http/harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

// Body bytes that would be a request of their own if the server ever parsed
// them as one: a smuggled GET that answers 404 JSON.
const SMUGGLED = "GET /api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

function chunkedBody(bytes: number): Buffer {
  const parts: string[] = [];
  const piece = SMUGGLED.repeat(Math.ceil(16_000 / SMUGGLED.length));
  for (let sent = 0; sent < bytes; sent += piece.length) parts.push(`${piece.length.toString(16)}\r\n${piece}\r\n`);
  parts.push("0\r\n\r\n");
  return Buffer.from(parts.join(""));
}

interface Outcome {
  text: string;
  closed: boolean;
  timedOut: boolean;
}

/** Sends `payload` on one connection and collects what comes back until close or `quietMs` of silence after `done(text)`. */
function exchange(payload: Buffer, done: (text: string) => boolean, timeoutMs = 10_000): Promise<Outcome> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve) => {
    let text = "";
    let settled = false;
    const finish = (outcome: Omit<Outcome, "text">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, ...outcome });
    };
    const socket = net.connect(Number(port), hostname, () => socket.write(payload));
    const timer = setTimeout(() => finish({ closed: false, timedOut: true }), timeoutMs);
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if (done(text)) finish({ closed: false, timedOut: false });
    });
    // A server that answers and closes while the client still writes may be
    // seen as a reset: a close, as long as the 413 arrived first.
    socket.on("error", () => finish({ closed: true, timedOut: false }));
    socket.on("close", () => finish({ closed: true, timedOut: false }));
  });
}

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));

describe("a refused chunked body", () => {
  for (const path of ["/api/auth/login", "/api/auth/refresh"]) {
    test(`POST ${path} with 2 MB chunked: 413, then the connection is closed or answers the next request (never hangs, never parses the body)`, async () => {
      const { host } = new URL(server.url);
      const head = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const next = `GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
      const payload = Buffer.concat([Buffer.from(head), chunkedBody(2 * 1024 * 1024), Buffer.from(next)]);
      const outcome = await exchange(payload, (text) => statuses(text).length >= 2 && /"status":"ok"/.test(text));
      const seen = statuses(outcome.text);
      assert.equal(seen[0], 413, `first answer: ${outcome.text.slice(0, 300)}`);
      assert.ok(!outcome.timedOut, `the connection hung after the 413 (got ${JSON.stringify(seen)})`);
      assert.ok(!/smuggled|"not_found"/.test(outcome.text), "body bytes were parsed as a request");
      if (!outcome.closed) {
        assert.deepEqual(seen, [413, 200], "the next request on the connection is answered correctly");
      } else {
        assert.ok(seen.length <= 2, `${JSON.stringify(seen)}`);
        if (seen.length === 2) assert.equal(seen[1], 200);
        // A closing server says so in the 413 itself.
        assert.match(outcome.text.split("\r\n\r\n")[0], /\r\nConnection: close/i, "the 413 announces the close");
      }
    });
  }

  test("a body read to its end keeps the connection alive (the close is only for unread bodies)", async () => {
    const { host } = new URL(server.url);
    const json = JSON.stringify({ email: "nobody@example.com", password: "wrong password" });
    const login = `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`;
    const next = `GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
    const outcome = await exchange(Buffer.from(login + next), (text) => statuses(text).length >= 2 && /"status":"ok"/.test(text));
    assert.deepEqual(statuses(outcome.text), [401, 200]);
    assert.ok(!/\r\nConnection: close/i.test(outcome.text), "no close after a body that was read");
  });

  test("the server keeps serving other connections afterwards", async () => {
    const res = await fetch(`${server.url}/api/health`);
    assert.equal(res.status, 200);
  });
});
