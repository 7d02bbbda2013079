// The contract with APP_URL=https://… (served here over plain http, as behind
// a TLS-terminating proxy): Secure, prefixed cookies with no header needed,
// APP_URL as the one accepted Origin, and durations written as bare seconds
// ("2") and with an "s" ("90s").
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, sleep, startServer, uniqueEmail, type TestServer } from "./harness";

const APP_URL = "https://app.example.test";
let server: TestServer;
before(async () => {
  server = await startServer({ APP_URL, AUTH_ACCESS_TTL: "2", AUTH_FRESH_TTL: "90s", AUTH_REFRESH_TTL: "1h" });
});
after(() => server?.stop());

const NAMES = { access: "__Host-access_token", refresh: "__Secure-refresh_token", csrf: "__Host-csrf_token" };

async function signUp() {
  const client = new Client(server.url, { origin: APP_URL });
  const res = await client.post("/api/auth/register", { email: uniqueEmail(), password: PASSWORD });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  const csrf = { "x-csrf-token": client.cookie(NAMES.csrf)! };
  return { client, res, csrf };
}

describe("APP_URL=https://…", () => {
  test("cookies are Secure and prefixed; Max-Age is the 1 h session life", async () => {
    const { res } = await signUp();
    for (const name of Object.values(NAMES)) {
      const line = res.setCookies.find((l) => l.startsWith(`${name}=`));
      assert.ok(line, `${name} in ${JSON.stringify(res.setCookies)}`);
      assert.match(line, /; Secure/);
      const maxAge = Number(/Max-Age=(\d+)/.exec(line)![1]);
      assert.ok(maxAge > 3540 && maxAge <= 3600, `${name} Max-Age ${maxAge}`);
    }
    assert.equal(res.setCookies.length, 3, "no unprefixed copies");
  });

  test("APP_URL is the app's origin: the request's own host is not accepted as Origin", async () => {
    const creds = { email: uniqueEmail(), password: PASSWORD };
    const res = await new Client(server.url).post("/api/auth/register", creds); // Origin: http://127.0.0.1:port
    assert.equal(res.status, 403);
    assert.equal(res.data.error, "csrf_failed");
    assert.equal((await new Client(server.url, { origin: APP_URL }).post("/api/auth/register", creds)).status, 201);
  });

  test('durations: AUTH_ACCESS_TTL "2" is two seconds, AUTH_FRESH_TTL "90s" ninety (freshUntil and maxAge)', async () => {
    const { client, res, csrf } = await signUp();
    const { authTime, accessExpiresAt, freshUntil, refreshExpiresAt } = res.data.session;
    const accessLife = (Date.parse(accessExpiresAt) - Date.parse(authTime)) / 1000;
    assert.ok(accessLife >= 1 && accessLife <= 3, `access life ${accessLife} s`);
    assert.equal((Date.parse(freshUntil) - Date.parse(authTime)) / 1000, 90);
    assert.ok(Math.abs((Date.parse(refreshExpiresAt) - Date.parse(authTime)) / 1000 - 3600) <= 1);
    assert.equal((await client.post("/api/auth/refresh", undefined, { headers: csrf })).status, 200);
    const refused = await client.delete("/api/account", { headers: csrf });
    assert.equal(refused.status, 401);
    assert.equal(refused.data.error, "fresh_token_required");
    assert.equal(refused.data.maxAge, 90);
  });

  test("an access token expired for real: token_expired; logout with it alone revokes the session and clears the cookies", async () => {
    const { client, csrf } = await signUp();
    await sleep(2300);
    const expired = await client.get("/api/me");
    assert.equal(expired.status, 401);
    assert.equal(expired.data.error, "token_expired");
    assert.equal(expired.headers.get("www-authenticate"), 'Bearer error="token_expired"');
    const onlyAccess = new Client(server.url, { origin: APP_URL });
    onlyAccess.cookies.set(NAMES.access, { ...client.cookies.get(NAMES.access)! });
    const out = await onlyAccess.post("/api/auth/logout", undefined, { headers: csrf });
    assert.equal(out.status, 204);
    for (const name of Object.values(NAMES)) {
      assert.ok(out.setCookies.some((l) => l.startsWith(`${name}=;`) && /Max-Age=0/.test(l) && /; Secure/.test(l)), `${name} cleared`);
    }
    const refresh = await client.post("/api/auth/refresh", undefined, { headers: csrf });
    assert.equal(refresh.status, 401);
    assert.equal(refresh.data.error, "token_revoked", "the session ended");
  });
});
