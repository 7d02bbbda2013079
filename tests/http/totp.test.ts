// Two-step sign-in with an authenticator app (DESIGN.md, "Two-step sign-in"):
// every row and error, the pending sign-in's life, rate limits, levels.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, type TestServer } from "./harness";
import { expirePendingSignIns, nextCode, passwordStep, sql, withTotp, wrongCode } from "./totp-helpers";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

describe("POST /api/account/totp (set-up)", () => {
  test("needs a fresh token; answers the secret, the otpauth URL and an SVG QR code; not active yet", async () => {
    const { client, email } = await registered(server.url);
    await client.post("/api/auth/refresh");
    const refused = await client.post("/api/account/totp");
    assert.equal(refused.status, 401);
    assert.equal(refused.data.error, "fresh_token_required");
    assert.equal((await new Client(server.url).post("/api/account/totp")).data.error, "authorization_required");

    await client.post("/api/auth/fresh-login", { password: PASSWORD });
    const res = await client.post("/api/account/totp");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.match(res.data.secret, /^[A-Z2-7]{32}$/, "160 bits, base32");
    const url = new URL(res.data.otpauthUrl);
    assert.equal(url.protocol, "otpauth:");
    assert.equal(url.searchParams.get("secret"), res.data.secret);
    assert.equal(url.searchParams.get("issuer"), "Fresh Auth");
    assert.equal(url.searchParams.get("digits"), "6");
    assert.equal(url.searchParams.get("period"), "30");
    assert.ok(decodeURIComponent(url.pathname).includes(email));
    assert.match(res.data.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/);
    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD })).status, 200, "not active until confirmed");
  });

  test("a new call replaces an unconfirmed set-up: the old secret's code no longer turns it on", async () => {
    const { client } = await registered(server.url);
    const first = await client.post("/api/account/totp");
    const second = await client.post("/api/account/totp");
    assert.notEqual(first.data.secret, second.data.secret);
    const stale = await client.post("/api/account/totp/confirm", { code: await nextCode(first.data.secret) });
    assert.equal(stale.status, 400);
    assert.equal(stale.data.error, "invalid_request");
    assert.ok(stale.data.fields.code);
    assert.equal((await client.post("/api/account/totp/confirm", { code: await nextCode(second.data.secret) })).status, 200);
  });
});

describe("POST /api/account/totp/confirm", () => {
  test("a wrong code is 400 and changes nothing; the right one answers 10 recovery codes, stored hashed", async () => {
    const { client, user } = await registered(server.url);
    const { data } = await client.post("/api/account/totp");
    const wrong = await client.post("/api/account/totp/confirm", { code: wrongCode(data.secret) });
    assert.equal(wrong.status, 400);
    assert.ok(wrong.data.fields.code);
    const ok = await client.post("/api/account/totp/confirm", { code: await nextCode(data.secret) });
    assert.equal(ok.status, 200);
    assert.equal(ok.data.recoveryCodes.length, 10);
    assert.equal(new Set(ok.data.recoveryCodes).size, 10);
    const rows = await sql<{ codeHash: string }>(server.databaseUrl, `SELECT "codeHash" FROM "RecoveryCode" WHERE "userId" = ?`, [user.id]);
    assert.equal(rows.length, 10);
    const stored = rows.map((r) => r.codeHash).join(" ");
    for (const code of ok.data.recoveryCodes) assert.ok(!stored.includes(code.replace(/-/g, "")), "never in clear");
    const [factor] = await sql<{ secret: string }>(server.databaseUrl, `SELECT "secret" FROM "TotpFactor" WHERE "userId" = ?`, [user.id]);
    assert.ok(!factor.secret.includes(data.secret), "the seed is encrypted at rest");
  });

  test("needs a fresh token; without a set-up, or once on, it is 400; a second set-up is refused while on", async () => {
    const none = await registered(server.url);
    assert.equal((await none.client.post("/api/account/totp/confirm", { code: "123456" })).status, 400);
    const { client, secret } = await withTotp(server.url);
    assert.equal((await client.post("/api/account/totp/confirm", { code: await nextCode(secret) })).status, 400);
    const again = await client.post("/api/account/totp");
    assert.equal(again.status, 400);
    assert.match(again.data.description, /already on/);
    await client.post("/api/auth/refresh");
    assert.equal((await client.post("/api/account/totp/confirm", { code: "123456" })).data.error, "fresh_token_required");
  });

  test("the body is validated", async () => {
    const { client } = await registered(server.url);
    await client.post("/api/account/totp");
    assert.equal((await client.post("/api/account/totp/confirm", {})).status, 400);
    assert.equal((await client.post("/api/account/totp/confirm", { code: "123456", extra: 1 })).status, 400);
  });
});

describe("POST /api/auth/login with TOTP on", () => {
  test("a correct password answers 401 second_factor_required and a pending cookie; no session exists yet", async () => {
    const { email, user } = await withTotp(server.url);
    const before = await sql(server.databaseUrl, `SELECT "id" FROM "Session" WHERE "userId" = ?`, [user.id]);
    const { client, res } = await passwordStep(server.url, email);
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "second_factor_required");
    assert.deepEqual(res.data.methods, ["totp", "recovery_code"]);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer error="second_factor_required"');
    assert.equal(client.cookie("access_token"), undefined);
    assert.equal(client.cookie("refresh_token"), undefined);
    const line = client.setCookieLine("pending_sign_in")!;
    assert.ok(line, "pending cookie set");
    assert.match(line, /HttpOnly/i);
    assert.match(line, /SameSite=Strict/i);
    assert.match(line, /Path=\/api\/auth(;|$)/);
    assert.match(line, /Max-Age=300/);
    const after = await sql(server.databaseUrl, `SELECT "id" FROM "Session" WHERE "userId" = ?`, [user.id]);
    assert.equal(after.length, before.length, "no session row");
    const [pending] = await sql<{ id: string }>(server.databaseUrl, `SELECT "id" FROM "PendingSignIn" WHERE "userId" = ?`, [user.id]);
    assert.notEqual(pending.id, client.cookie("pending_sign_in"), "only a hash is stored");
    assert.equal((await client.get("/api/me")).status, 401);
  });

  test("a wrong password is invalid_credentials as ever, with no pending cookie", async () => {
    const { email } = await withTotp(server.url);
    const { client, res } = await passwordStep(server.url, email, {}, "not the password");
    assert.equal(res.data.error, "invalid_credentials");
    assert.equal(client.cookie("pending_sign_in"), undefined);
  });
});

describe("POST /api/auth/login/second-factor", () => {
  test("{code}: 200 {user,session}, methods password+totp, the pending cookie cleared; the code is single-use", async () => {
    const { email, secret, user } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    const code = await nextCode(secret);
    const res = await client.post("/api/auth/login/second-factor", { code });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.data.user.id, user.id);
    assert.deepEqual(res.data.session.methods, ["password", "totp"]);
    assert.equal(res.data.session.fresh, true);
    assert.equal(client.cookie("pending_sign_in"), undefined);
    const me = await client.get("/api/me");
    assert.equal(me.status, 200);
    assert.deepEqual(me.data.session.methods, ["password", "totp"]);

    const replay = await passwordStep(server.url, email);
    const again = await replay.client.post("/api/auth/login/second-factor", { code });
    assert.equal(again.status, 401);
    assert.equal(again.data.error, "invalid_credentials", "the same code twice: refused");
  });

  test("two parallel uses of one code on two pending sign-ins: exactly one session", async () => {
    const { email, secret } = await withTotp(server.url);
    const a = await passwordStep(server.url, email);
    const b = await passwordStep(server.url, email);
    const code = await nextCode(secret);
    const results = await Promise.all([a, b].map((p) => p.client.post("/api/auth/login/second-factor", { code })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 401]);
  });

  test("{recoveryCode}: methods password+recovery_code; that code works once, ever", async () => {
    const { email, recoveryCodes } = await withTotp(server.url);
    const first = await passwordStep(server.url, email);
    const res = await first.client.post("/api/auth/login/second-factor", { recoveryCode: recoveryCodes[3].toLowerCase() });
    assert.equal(res.status, 200);
    assert.deepEqual(res.data.session.methods, ["password", "recovery_code"]);
    const second = await passwordStep(server.url, email);
    const reused = await second.client.post("/api/auth/login/second-factor", { recoveryCode: recoveryCodes[3] });
    assert.equal(reused.status, 401);
    assert.equal(reused.data.error, "invalid_credentials");
    assert.equal((await second.client.post("/api/auth/login/second-factor", { recoveryCode: recoveryCodes[4] })).status, 200);
  });

  test("without a pending sign-in: 401 authorization_required; a bad body: 400", async () => {
    const { email } = await withTotp(server.url);
    const none = await new Client(server.url).post("/api/auth/login/second-factor", { code: "123456" });
    assert.equal(none.status, 401);
    assert.equal(none.data.error, "authorization_required");
    const { client } = await passwordStep(server.url, email);
    for (const bad of [{}, { code: "123456", recoveryCode: "x" }, { code: 123456 }, { password: PASSWORD }]) {
      const res = await client.post("/api/auth/login/second-factor", bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    const forged = new Client(server.url);
    forged.cookies.set("pending_sign_in", { value: "made-up", path: "/api/auth", attributes: "" });
    assert.equal((await forged.post("/api/auth/login/second-factor", { code: "123456" })).data.error, "authorization_required");
    assert.equal((await client.get("/api/auth/login/second-factor")).status, 405);
  });

  test("a cross-site request is refused before anything is checked", async () => {
    const { email, secret } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    const res = await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) }, { headers: { origin: "https://evil.example" } });
    assert.equal(res.status, 403);
    assert.equal(res.data.error, "csrf_failed");
  });
});

describe("the pending sign-in's life", () => {
  test("it dies after 5 wrong codes: the 5th says so and clears the cookie; the right code then needs the password again", async () => {
    const { email, secret } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    const cookie = client.cookie("pending_sign_in")!;
    for (let i = 1; i <= 5; i++) {
      const res = await client.post("/api/auth/login/second-factor", { code: wrongCode(secret) });
      assert.equal(res.status, 401);
      assert.equal(res.data.error, "invalid_credentials");
      if (i < 5) assert.ok(client.cookie("pending_sign_in"), `still pending after ${i}`);
    }
    assert.equal(client.cookie("pending_sign_in"), undefined, "cleared");
    client.cookies.set("pending_sign_in", { value: cookie, path: "/api/auth", attributes: "" });
    const late = await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) });
    assert.equal(late.status, 401);
    assert.equal(late.data.error, "authorization_required");
    const fresh = await passwordStep(server.url, email);
    assert.equal((await fresh.client.post("/api/auth/login/second-factor", { code: await nextCode(secret) })).status, 200);
  });

  test("eight parallel wrong codes: exactly five are checked, the rest find the sign-in gone", async () => {
    const { email, secret } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    const results = await Promise.all(Array.from({ length: 8 }, () => client.post("/api/auth/login/second-factor", { code: wrongCode(secret) })));
    assert.equal(results.filter((r) => r.data.error === "invalid_credentials").length, 5);
    assert.equal(results.filter((r) => r.data.error === "authorization_required").length, 3);
  });

  test("it expires after 5 minutes", async () => {
    const { email, secret, user } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    await expirePendingSignIns(server.databaseUrl, user.id);
    const res = await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) });
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "authorization_required");
  });

  test("a password change meanwhile kills it (bound to the credential version)", async () => {
    const { client: owner, email, secret } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    assert.equal((await owner.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "a brand new password" })).status, 204);
    const res = await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) });
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "authorization_required");
  });

  test("turning TOTP off ends pending sign-ins", async () => {
    const { client: owner, email, secret } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    assert.equal((await owner.post("/api/auth/fresh-login", { password: PASSWORD, code: await nextCode(secret) })).status, 200);
    assert.equal((await owner.delete("/api/account/totp")).status, 204);
    assert.equal((await client.post("/api/auth/login/second-factor", { code: "123456" })).data.error, "authorization_required");
  });
});

describe("POST /api/auth/fresh-login with a code; levels on routes", () => {
  test("{code} makes the session fresh with methods [totp] (level any); a wrong or replayed code is refused", async () => {
    const { client, secret } = await withTotp(server.url);
    await client.post("/api/auth/refresh");
    const wrong = await client.post("/api/auth/fresh-login", { code: wrongCode(secret) });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.data.error, "invalid_credentials");
    const code = await nextCode(secret);
    const ok = await client.post("/api/auth/fresh-login", { code });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.data.session.methods, ["totp"]);
    assert.equal(ok.data.session.fresh, true);
    assert.equal((await client.post("/api/auth/fresh-login", { code })).data.error, "invalid_credentials", "replay");
  });

  test("a refusal names totp among the account's methods; DELETE /api/account/totp needs multi_factor", async () => {
    const { client, email, secret } = await withTotp(server.url);
    await client.post("/api/auth/refresh");
    const stale = await client.delete("/api/account/totp");
    assert.equal(stale.status, 401);
    assert.equal(stale.data.level, "multi_factor");
    assert.deepEqual(stale.data.methods, ["password", "totp"]);

    await client.post("/api/auth/fresh-login", { password: PASSWORD });
    const passwordOnly = await client.delete("/api/account/totp");
    assert.equal(passwordOnly.status, 401, "password alone is one factor");
    assert.equal(passwordOnly.data.error, "fresh_token_required");
    await client.post("/api/auth/fresh-login", { code: await nextCode(secret) });
    assert.equal((await client.delete("/api/account/totp")).status, 401, "a code alone is one factor");

    const both = await client.post("/api/auth/fresh-login", { password: PASSWORD, code: await nextCode(secret) });
    assert.equal(both.status, 200);
    assert.deepEqual(both.data.session.methods, ["password", "totp"]);
    assert.equal((await client.delete("/api/account/totp")).status, 204);
    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD })).status, 200, "plain sign-in again");
    assert.equal((await client.delete("/api/account/totp")).status, 404, "nothing left to turn off");
  });

  test("right after a two-step sign-in, multi_factor holds without another prompt", async () => {
    const { email, secret } = await withTotp(server.url);
    const { client } = await passwordStep(server.url, email);
    await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) });
    assert.equal((await client.delete("/api/account/totp")).status, 204);
  });

  test("{password, code}: a wrong password or a wrong code refuses the pair", async () => {
    const { client, secret } = await withTotp(server.url);
    assert.equal((await client.post("/api/auth/fresh-login", { password: "not it", code: await nextCode(secret) })).data.error, "invalid_credentials");
    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD, code: wrongCode(secret) })).data.error, "invalid_credentials");
  });

  test("an account without TOTP: a code cannot confirm; its password meets multi_factor", async () => {
    const { client } = await registered(server.url);
    assert.equal((await client.post("/api/auth/fresh-login", { code: "123456" })).data.error, "invalid_credentials");
    await client.post("/api/auth/refresh");
    const refused = await client.delete("/api/account/totp");
    assert.deepEqual(refused.data.methods, ["password"]);
    await client.post("/api/auth/fresh-login", { password: PASSWORD });
    assert.equal((await client.delete("/api/account/totp")).status, 404, "level passed; nothing to turn off");
  });

  test("fresh: true routes (delete account) accept a code confirmation", async () => {
    const { client, secret } = await withTotp(server.url);
    await client.post("/api/auth/refresh");
    await client.post("/api/auth/fresh-login", { code: await nextCode(secret) });
    assert.equal((await client.delete("/api/account")).status, 204);
  });

  test("the body is one proof per branch; anything else is 400", async () => {
    const { client } = await withTotp(server.url);
    for (const bad of [{}, { password: PASSWORD, extra: 1 }, { code: 123456 }, { recoveryCode: "x" }]) {
      assert.equal((await client.post("/api/auth/fresh-login", bad)).status, 400, JSON.stringify(bad));
    }
  });
});

describe("rate limits on codes", () => {
  test("wrong codes count against the account: its budget is then spent for passwords too", async () => {
    const limited = await startServer({ AUTH_RATE_LIMIT_ACCOUNT: "3/15m", AUTH_RATE_LIMIT_ADDRESS: "off", AUTH_TRUST_PROXY: "1" });
    try {
      const home = { "x-forwarded-for": "10.0.0.1" };
      const stranger = { "x-forwarded-for": "10.9.9.9" };
      const { email, secret } = await withTotp(limited.url, home);
      const { client } = await passwordStep(limited.url, email, stranger);
      for (let i = 0; i < 3; i++) {
        assert.equal((await client.post("/api/auth/login/second-factor", { code: wrongCode(secret) }, { headers: stranger })).data.error, "invalid_credentials");
      }
      const blocked = await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) }, { headers: stranger });
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get("retry-after")) > 0);
      assert.equal((await passwordStep(limited.url, email, stranger)).res.status, 429, "the password now waits too");
    } finally {
      await limited.stop();
    }
  });

  test("wrong codes count against the address", async () => {
    const limited = await startServer({ AUTH_RATE_LIMIT_ACCOUNT: "off", AUTH_RATE_LIMIT_ADDRESS: "3/15m", AUTH_TRUST_PROXY: "1" });
    try {
      const addr = { "x-forwarded-for": "10.1.2.3" };
      const { email, secret } = await withTotp(limited.url, { "x-forwarded-for": "10.0.0.1" });
      const { client } = await passwordStep(limited.url, email, addr);
      for (let i = 0; i < 3; i++) {
        assert.equal((await client.post("/api/auth/login/second-factor", { code: wrongCode(secret) }, { headers: addr })).data.error, "invalid_credentials");
      }
      assert.equal((await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) }, { headers: addr })).status, 429);
      const other = await registered(limited.url);
      assert.equal((await passwordStep(limited.url, other.email, addr)).res.status, 429, "the address is spent for every account");
    } finally {
      await limited.stop();
    }
  });
});

describe("secret rotation", () => {
  test("after AUTH_SECRET rotates (old one in AUTH_PREVIOUS_SECRETS), stored seeds still verify codes", async () => {
    const first = await startServer({}, undefined);
    const database = first.database;
    const { email, secret } = await withTotp(first.url);
    await first.process.kill("SIGTERM");
    await new Promise((r) => first.process.once("exit", r));
    const rotated = await startServer({ AUTH_SECRET: "rotated-secret-0123456789-abcdefghijklmnopqrstuvwxyz", AUTH_PREVIOUS_SECRETS: "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz" }, database);
    try {
      const { client } = await passwordStep(rotated.url, email);
      assert.equal((await client.post("/api/auth/login/second-factor", { code: await nextCode(secret) })).status, 200);
    } finally {
      await rotated.stop();
      await database.drop();
    }
  });
});
