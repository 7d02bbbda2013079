// Item 6 — input abuse (ASVS V1/V2 input handling, as it applies to a JSON
// API): oversized, malformed, mistyped and hostile bodies get typed 4xx
// answers, never a 5xx, never a hash of something huge, never a second account.
// bcrypt cost 10 (~75 ms a hash) makes "was it hashed?" visible in timings.
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, uniqueEmail, type TestServer } from "../http/harness";
import { assertError, median } from "./helpers";

let server: TestServer;
let user: Awaited<ReturnType<typeof registered>>;
before(async () => {
  server = await startServer({ AUTH_BCRYPT_COST: "10" });
  user = await registered(server.url);
});
after(() => server?.stop());

const raw = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
  user.client.request(method, path, { body, headers: { "content-type": "application/json", ...headers } });

async function assertServing() {
  assert.equal((await new Client(server.url).get("/api/health")).status, 200, "health");
  assert.equal((await user.client.get("/api/me")).status, 200, "signed-in reads");
}

/** Sends only the headers and the first bytes of a body, and waits for the answer. */
function headersOnly(path: string, declaredLength: number): Promise<{ status: number; ms: number }> {
  const { hostname, port } = new URL(server.url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${declaredLength}\r\n\r\n{"email":"`,
      );
    });
    let text = "";
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer after 5 s: ${JSON.stringify(text)}`)));
    socket.on("data", (chunk) => {
      text += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status) {
        socket.destroy();
        resolve({ status: Number(status[1]), ms: Date.now() - started });
      }
    });
    socket.on("error", reject);
  });
}

describe("body size", () => {
  test("a declared 100 MB body is refused with 413 before the body is read", async () => {
    for (const path of ["/api/auth/login", "/api/auth/register"]) {
      const { status } = await headersOnly(path, 100 * 1024 * 1024);
      assert.equal(status, 413, path);
    }
    await assertServing();
  });

  test("a streamed body with no Content-Length is cut off at the limit", async () => {
    const { hostname, port } = new URL(server.url);
    const answer = await new Promise<{ status: number; bytesSent: number }>((resolve, reject) => {
      const req = http.request({ hostname, port, path: "/api/auth/login", method: "POST", headers: { "content-type": "application/json", origin: server.url } });
      let bytesSent = 0;
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode!, bytesSent });
      });
      // The server hangs up once it has answered, which the client may see as
      // a reset: only an error with no answer at all fails the test.
      req.on("error", (error) => setTimeout(() => reject(error), 1000));
      const chunk = "x".repeat(16 * 1024);
      const next = () => {
        if (req.destroyed) return;
        if (bytesSent >= 1024 * 1024) return void req.end();
        bytesSent += chunk.length;
        req.write(chunk);
        setTimeout(next, 2);
      };
      next();
    });
    assert.equal(answer.status, 413);
    assert.ok(answer.bytesSent < 1024 * 1024, `answered after ${answer.bytesSent} bytes, before the whole 1 MB was sent`);
    await assertServing();
  });

  test("twenty parallel 1 MB bodies: all 413, and the server keeps serving", async () => {
    const big = JSON.stringify({ email: uniqueEmail(), password: "p".repeat(1024 * 1024) });
    const results = await Promise.all(Array.from({ length: 20 }, () => raw("POST", "/api/auth/login", big)));
    for (const res of results) assertError(res, 413, "payload_too_large");
    await assertServing();
    assert.equal((await new Client(server.url).post("/api/auth/login", { email: user.email, password: PASSWORD })).status, 200);
  });
});

describe("malformed and mistyped bodies", () => {
  const routes: [string, string][] = [
    ["POST", "/api/auth/register"],
    ["POST", "/api/auth/login"],
    ["POST", "/api/auth/fresh-login"],
    ["PATCH", "/api/me"],
    ["PUT", "/api/account/password"],
    ["PUT", "/api/account/email"],
  ];

  test("malformed JSON is 400 invalid_json everywhere", async () => {
    const bodies = ["{nope", "", "{\"email\":", "{'email':'a@b.co'}", "{\"a\":1}x", "NaN", "\uFEFF{}", "{\"a\":\"\\u12\"}", "[".repeat(50_000)];
    for (const [method, path] of routes) {
      for (const body of bodies) assertError(await raw(method, path, body), 400, "invalid_json", `${method} ${path} ${JSON.stringify(body.slice(0, 12))}`);
    }
    await assertServing();
  });

  test("arrays, wrong types, operators, unknown keys, __proto__ and constructor are 400 invalid_request", async () => {
    const email = uniqueEmail();
    const valid: Record<string, Record<string, unknown>> = {
      "/api/auth/register": { email, password: PASSWORD },
      "/api/auth/login": { email, password: PASSWORD },
      "/api/auth/fresh-login": { password: PASSWORD },
      "/api/me": { name: "Name" },
      "/api/account/password": { currentPassword: PASSWORD, newPassword: "new password 1" },
      "/api/account/email": { email },
    };
    for (const [method, path] of routes) {
      const ok = valid[path];
      const [firstKey] = Object.keys(ok);
      const bodies = [
        "[]",
        JSON.stringify([ok]),
        "\"a string\"",
        "42",
        "null",
        "true",
        "{}",
        JSON.stringify({ ...ok, [firstKey]: 42 }),
        JSON.stringify({ ...ok, [firstKey]: [ok[firstKey]] }),
        JSON.stringify({ ...ok, [firstKey]: { $ne: null } }),
        JSON.stringify({ ...ok, [firstKey]: { $gt: "" } }),
        JSON.stringify({ ...ok, [firstKey]: null }),
        JSON.stringify({ ...ok, admin: true }),
        `{"__proto__":{"admin":true,"fresh":true},${JSON.stringify(ok).slice(1)}`,
        `{"constructor":{"prototype":{"admin":true}},${JSON.stringify(ok).slice(1)}`,
        `{"prototype":{"fresh":true},${JSON.stringify(ok).slice(1)}`,
      ];
      for (const body of bodies) {
        const res = await raw(method, path, body);
        assertError(res, 400, "invalid_request", `${method} ${path} ${body.slice(0, 40)}`);
        assert.equal(typeof res.data.fields, "object", "invalid_request names the fields");
      }
    }
    await assertServing();
  });

  test("nothing was polluted: a non-fresh token still needs a fresh one, and no admin appeared", async () => {
    const { client } = await registered(server.url);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    assertError(await client.delete("/api/account"), 401, "fresh_token_required");
    const me = await client.get("/api/me");
    assert.deepEqual(Object.keys(me.data.user).sort(), ["email", "emailVerified", "id", "name"]);
  });
});

describe("huge passwords are refused before any hashing", () => {
  test("a 1 MB password is 413 and a 60 KB one a 400, both much faster than one bcrypt hash", async () => {
    const time = async (send: () => Promise<{ status: number }>, status: number) => {
      const started = performance.now();
      assert.equal((await send()).status, status);
      return performance.now() - started;
    };
    const huge = "p".repeat(1024 * 1024);
    const large = "p".repeat(60 * 1024);
    const hashed: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < 5; i++) {
      hashed.push(await time(() => new Client(server.url).post("/api/auth/login", { email: user.email, password: "wrong password" }), 401));
      refused.push(await time(() => new Client(server.url).post("/api/auth/login", { email: user.email, password: huge }), 413));
      refused.push(await time(() => new Client(server.url).post("/api/auth/login", { email: user.email, password: large }), 400));
      refused.push(await time(() => new Client(server.url).post("/api/auth/register", { email: uniqueEmail(), password: large }), 400));
      refused.push(await time(() => user.client.post("/api/auth/fresh-login", { password: large }), 400));
      refused.push(await time(() => user.client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: large }), 400));
    }
    assert.ok(median(refused) < median(hashed) / 2, `refused in ${median(refused).toFixed(1)} ms, a hash takes ${median(hashed).toFixed(1)} ms`);
  });
});

describe("SQL-looking input is plain data", () => {
  const hostile = ["Robert'); DROP TABLE \"User\";--", "' OR '1'='1' --", "\"; DELETE FROM \"Session\"; --", "1; SELECT pg_sleep(5)", "%' OR 1=1 /*"];

  test("stored and returned exactly, as names and passwords", async () => {
    for (const text of hostile) {
      const email = uniqueEmail("o'brien");
      const created = await new Client(server.url).post("/api/auth/register", { email, password: `${text} pad`, name: text });
      assert.equal(created.status, 201, JSON.stringify(created.data));
      assert.equal(created.data.user.name, text);
      assert.equal(created.data.user.email, email);
      assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: `${text} pad` })).status, 200);
      assertError(await new Client(server.url).post("/api/auth/login", { email, password: "' OR '1'='1" }), 401, "invalid_credentials");
    }
  });

  test("as e-mails, session ids and paths: typed errors, and every session survives", async () => {
    const { client } = await registered(server.url);
    const second = await new Client(server.url).post("/api/auth/login", { email: user.email, password: PASSWORD });
    assert.equal(second.status, 200);
    for (const text of hostile) {
      const login = await new Client(server.url).post("/api/auth/login", { email: `${text}@example.com`, password: text });
      assert.ok([400, 401].includes(login.status), `login ${login.status}`);
      assertError(await client.delete(`/api/sessions/${encodeURIComponent(text)}`), 404, "not_found", `DELETE /api/sessions/${text}`);
    }
    assert.equal((await client.get("/api/me")).status, 200);
    assert.equal((await user.client.get("/api/sessions")).data.sessions.length >= 2, true, "the other user's sessions are all there");
  });
});

describe("one address, one account", () => {
  // Each row: the address as first registered, then spellings that must all be it.
  const forms: [string, string[]][] = [
    ["ann.lee@example.com", ["ANN.LEE@EXAMPLE.COM", "  Ann.Lee@Example.com\t"]],
    ["jos\u00e9@example.com", ["jose\u0301@example.com", "JOSE\u0301@EXAMPLE.COM", "JOS\u00c9@example.com"]],
    ["zoe@example.com", ["\uff5a\uff4f\uff45@example.com", "zoe@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com", "\uff3a\uff2f\uff25@EXAMPLE.COM"]],
    ["office@example.com", ["o\ufb03ce@example.com"]],
  ];

  test("case, whitespace, NFC/NFD and fullwidth or ligature forms cannot register a second account", async () => {
    for (const [canonical, variants] of forms) {
      const tag = `+${Date.now().toString(36)}@`;
      const address = canonical.replace("@", tag);
      const first = await new Client(server.url).post("/api/auth/register", { email: address, password: PASSWORD });
      assert.equal(first.status, 201, JSON.stringify(first.data));
      for (const variant of variants.map((v) => v.replace("@", tag))) {
        const again = await new Client(server.url).post("/api/auth/register", { email: variant, password: PASSWORD });
        if (again.status !== 409) {
          // Only a refusal of the spelling itself is also acceptable.
          assertError(again, 400, "invalid_request", `register ${JSON.stringify(variant)} after ${JSON.stringify(address)}`);
          continue;
        }
        const login = await new Client(server.url).post("/api/auth/login", { email: variant, password: PASSWORD });
        assert.equal(login.status, 200, `login as ${JSON.stringify(variant)}`);
        assert.equal(login.data.user.id, first.data.user.id, "the same account");
      }
    }
  });

  test("changing an e-mail to another spelling of a taken one is 409", async () => {
    const taken = await registered(server.url, `ｍａｒｙ+${Date.now().toString(36)}@example.com`);
    assert.equal(taken.user.email, taken.email.normalize("NFKC"));
    const other = await registered(server.url);
    assertError(await other.client.put("/api/account/email", { email: taken.email.toUpperCase() }), 409, "email_taken");
    assertError(await other.client.put("/api/account/email", { email: taken.user.email }), 409, "email_taken");
  });
});

describe("invisible characters and case folding in e-mails (issue 10 item 6)", () => {
  // Each of these renders exactly like the plain address: a look-alike second account.
  const invisibles: [string, string][] = [
    ["zero-width space", "\u200b"],
    ["soft hyphen", "\u00ad"],
    ["word joiner", "\u2060"],
    ["zero-width joiner", "\u200d"],
    ["right-to-left override", "\u202e"],
    ["left-to-right mark", "\u200e"],
    ["first strong isolate", "\u2068"],
    ["byte order mark", "\ufeff"],
    ["Arabic letter mark", "\u061c"],
    ["variation selector", "\ufe0f"],
  ];

  test("format (Cf), bidi and other invisible characters are refused with 400, on register, login and change-email", async () => {
    const plain = await registered(server.url, uniqueEmail("plain"));
    for (const [name, char] of invisibles) {
      const [local, domain] = plain.email.split("@");
      const spoof = `${local.slice(0, 3)}${char}${local.slice(3)}@${domain}`;
      assertError(await new Client(server.url).post("/api/auth/register", { email: spoof, password: PASSWORD }), 400, "invalid_request", `register with ${name}`);
      assertError(await new Client(server.url).post("/api/auth/login", { email: spoof, password: PASSWORD }), 400, "invalid_request", `login with ${name}`);
      assertError(await user.client.put("/api/account/email", { email: spoof }), 400, "invalid_request", `change-email with ${name}`);
    }
  });

  test("addresses are compared with full case folding: ΑΣ-x and ασ-x (final sigma) are one account", async () => {
    const tag = Date.now().toString(36);
    const first = await new Client(server.url).post("/api/auth/register", { email: `ΑΣ-${tag}@example.com`, password: PASSWORD });
    assert.equal(first.status, 201, JSON.stringify(first.data));
    for (const variant of [`ασ-${tag}@example.com`, `ας-${tag}@example.com`, `Ας-${tag}@EXAMPLE.COM`]) {
      assertError(await new Client(server.url).post("/api/auth/register", { email: variant, password: PASSWORD }), 409, "email_taken", variant);
      const login = await new Client(server.url).post("/api/auth/login", { email: variant, password: PASSWORD });
      assert.equal(login.status, 200, `login as ${variant}`);
      assert.equal(login.data.user.id, first.data.user.id);
    }
  });

  test("ß is its own letter (not folded to ss), and capital ẞ is ß", async () => {
    const tag = Date.now().toString(36);
    const sharp = await new Client(server.url).post("/api/auth/register", { email: `straße-${tag}@example.de`, password: PASSWORD });
    assert.equal(sharp.status, 201);
    assert.equal(sharp.data.user.email, `straße-${tag}@example.de`, "stored as typed (lower case)");
    assertError(await new Client(server.url).post("/api/auth/register", { email: `STRAẞE-${tag}@example.de`, password: PASSWORD }), 409, "email_taken");
    const ss = await new Client(server.url).post("/api/auth/register", { email: `strasse-${tag}@example.de`, password: PASSWORD });
    assert.equal(ss.status, 201, "strasse is another mailbox");
  });
});
