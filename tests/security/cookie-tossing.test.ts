// Issue 10, items 3 and 9: cookies planted by a sibling subdomain
// (`Domain=example.test`, a longer Path so they are sent first), over https
// through a real TLS-terminating proxy and over plain http, and a host that
// moved from http to https with the old cookies still in the browser.
// Raw Cookie headers: the duplicates and their order are the attack.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseSetCookie } from "cookie";
import { freePort, PASSWORD, rawRequest, sleep, startServer, uniqueEmail, type TestServer } from "../http/harness";
import { httpsRequest, startTlsProxy, type TlsProxy, type TlsResponse } from "../http/tls-proxy";
import { decode } from "./helpers";

const HOST = "app.example.test";
const SIBLING = "evil.example.test";
let server: TestServer;
let proxy: TlsProxy;
let APP: string;

before(async () => {
  // No APP_URL: the scheme comes from the proxy's X-Forwarded-Proto, so one
  // server answers https (through the proxy) and plain http (directly).
  const port = await freePort();
  server = await startServer({ AUTH_ACCESS_TTL: "2s" });
  proxy = await startTlsProxy({ target: server.url, hosts: [HOST, SIBLING], port });
  APP = proxy.origin(HOST);
});
after(async () => {
  await proxy?.close();
  await server?.stop();
});

const HTTPS = { access: "__Host-access_token", refresh: "__Secure-refresh_token", csrf: "__Host-csrf_token" };
const HTTP = { access: "access_token", refresh: "refresh_token", csrf: "csrf_token" };
type Names = typeof HTTPS;
type Jar = Record<string, string>;
const NAVIGATE = { "sec-fetch-mode": "navigate", "sec-fetch-site": "same-origin", "sec-fetch-dest": "document", accept: "text/html" };

const jarOf = (res: { setCookies: string[] }): Jar =>
  Object.fromEntries(res.setCookies.map((line) => parseSetCookie(line)).filter((c) => c.value).map((c) => [c.name, c.value!]));
const header = (pairs: [string, string][]) => pairs.map(([name, value]) => `${name}=${value}`).join("; ");

/**
 * Plain http straight to the server, with a raw Cookie header and exactly
 * these headers (node:http: fetch would add its own Sec-Fetch-Mode: cors).
 */
async function plain(method: string, pathname: string, init: { headers?: Record<string, string>; json?: unknown } = {}): Promise<TlsResponse> {
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  const headers = { ...(body ? { "content-type": "application/json" } : {}), ...init.headers };
  const res = await rawRequest(server.url, method, pathname, { headers, body });
  const setCookie = res.headers["set-cookie"] ?? [];
  return { status: res.status, headers: res.headers, setCookies: setCookie, body: res.body };
}

async function signUp(scheme: "https" | "http"): Promise<{ jar: Jar; names: Names; sid: string; email: string }> {
  const email = uniqueEmail(scheme);
  const res =
    scheme === "https"
      ? await httpsRequest(APP, "POST", "/api/auth/register", { json: { email, password: PASSWORD }, headers: { origin: APP } })
      : await plain("POST", "/api/auth/register", { json: { email, password: PASSWORD } });
  assert.equal(res.status, 201, res.body);
  const names = scheme === "https" ? HTTPS : HTTP;
  const jar = jarOf(res);
  return { jar, names, sid: decode(jar[names.refresh]).payload.sid, email };
}

const https = (method: string, pathname: string, cookie: string, headers: Record<string, string> = {}) =>
  httpsRequest(APP, method, pathname, { headers: { cookie, ...headers } });

/** The refresh a browser's wrapper sends: its own cookies (as given), its CSRF header, our Origin. */
const refreshWith = (cookie: string, csrf: string) => https("POST", "/api/auth/refresh", cookie, { "x-csrf-token": csrf, origin: APP });

describe("cookie tossing over https (behind a TLS proxy)", () => {
  test("a planted garbage __Secure-refresh_token sent first: refresh refused (403), nothing cleared; the real cookies still work", async () => {
    const victim = await signUp("https");
    const cookie = header([
      [HTTPS.refresh, "garbage.planted.by-the-sibling"],
      [HTTPS.refresh, victim.jar[HTTPS.refresh]],
      [HTTPS.access, victim.jar[HTTPS.access]],
      [HTTPS.csrf, victim.jar[HTTPS.csrf]],
    ]);
    const res = await refreshWith(cookie, victim.jar[HTTPS.csrf]);
    assert.equal(res.status, 403, res.body);
    assert.equal(JSON.parse(res.body).error, "csrf_failed");
    assert.deepEqual(res.setCookies, [], "no cookie cleared");
    // The same for logout and an API read: refused, nothing cleared, the session alive.
    const logout = await https("POST", "/api/auth/logout", cookie, { "x-csrf-token": victim.jar[HTTPS.csrf], origin: APP });
    assert.equal(logout.status, 403);
    assert.deepEqual(logout.setCookies, []);
    const real = header([[HTTPS.refresh, victim.jar[HTTPS.refresh]], [HTTPS.access, victim.jar[HTTPS.access]], [HTTPS.csrf, victim.jar[HTTPS.csrf]]]);
    assert.equal((await refreshWith(real, victim.jar[HTTPS.csrf])).status, 200, "the real session is alive");
  });

  test("GET /api/auth/resume never swaps the victim into the attacker's session", async () => {
    const victim = await signUp("https");
    const attacker = await signUp("https");
    const hostOnly: [string, string][] = [[HTTPS.access, victim.jar[HTTPS.access]], [HTTPS.csrf, victim.jar[HTTPS.csrf]]];
    await sleep(2300); // the victim's access token has expired: the page hands off to resume
    for (const cookies of [
      // planted first, the victim's own second
      [[HTTPS.refresh, attacker.jar[HTTPS.refresh]], [HTTPS.refresh, victim.jar[HTTPS.refresh]], ...hostOnly],
      // planted alone (the victim's refresh cookie gone)
      [[HTTPS.refresh, attacker.jar[HTTPS.refresh]], ...hostOnly],
    ] as [string, string][][]) {
      const res = await https("GET", "/api/auth/resume?next=%2Faccount", header(cookies), NAVIGATE);
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, "/login?next=%2Faccount&status=session-ended", "the form, not the attacker's account");
      assert.deepEqual(res.setCookies, [], "no attacker tokens set, nothing cleared");
    }
    // The victim's own cookies still resume.
    const own = await https("GET", "/api/auth/resume?next=%2Faccount", header([[HTTPS.refresh, victim.jar[HTTPS.refresh]], ...hostOnly]), NAVIGATE);
    assert.equal(own.status, 303);
    assert.equal(own.headers.location, "/account");
    assert.equal(decode(jarOf(own)[HTTPS.access]).payload.sid, victim.sid);
  });

  test("a sibling's <img src=/api/auth/resume> (no-cors, same-site) does not rotate; a top-level navigation does", async () => {
    const victim = await signUp("https");
    const cookie = header([[HTTPS.refresh, victim.jar[HTTPS.refresh]], [HTTPS.access, victim.jar[HTTPS.access]], [HTTPS.csrf, victim.jar[HTTPS.csrf]]]);
    for (const fetchMetadata of <Record<string, string>[]>[
      { "sec-fetch-mode": "no-cors", "sec-fetch-site": "same-site", "sec-fetch-dest": "image" },
      { "sec-fetch-mode": "navigate", "sec-fetch-site": "same-site", "sec-fetch-dest": "document" },
      { "sec-fetch-mode": "cors", "sec-fetch-site": "same-origin", "sec-fetch-dest": "empty" },
      {},
    ]) {
      const res = await https("GET", "/api/auth/resume?next=%2F", cookie, fetchMetadata);
      assert.equal(res.status, 200, JSON.stringify(fetchMetadata));
      assert.match(String(res.headers["content-type"]), /text\/html/);
      assert.deepEqual(res.setCookies, [], `no rotation for ${JSON.stringify(fetchMetadata)}`);
    }
    // Not rotated: this token is still the current one, so using it rotates for real (a new jti).
    const jti = decode(victim.jar[HTTPS.refresh]).payload.jti;
    const nav = await https("GET", "/api/auth/resume?next=%2F", cookie, NAVIGATE);
    assert.equal(nav.status, 303);
    assert.equal(nav.headers.location, "/");
    const rotated = decode(jarOf(nav)[HTTPS.refresh]).payload;
    assert.notEqual(rotated.jti, jti);
    assert.equal(rotated.sid, victim.sid);
  });

  test("a refresh token of another session is refused on POST /api/auth/refresh too (403), even with its own CSRF value", async () => {
    const victim = await signUp("https");
    const attacker = await signUp("https");
    const cookie = header([[HTTPS.refresh, attacker.jar[HTTPS.refresh]], [HTTPS.access, victim.jar[HTTPS.access]], [HTTPS.csrf, victim.jar[HTTPS.csrf]]]);
    const res = await refreshWith(cookie, attacker.jar[HTTPS.csrf]);
    assert.equal(res.status, 403, res.body);
    assert.deepEqual(res.setCookies, []);
  });

  test("/login reads only the https names: a plain access_token of the attacker's account does not sign the page in", async () => {
    const attacker = await signUp("http");
    const res = await https("GET", "/login?next=%2Faccount", header([[HTTP.access, attacker.jar[HTTP.access]]]), NAVIGATE);
    assert.equal(res.status, 200, `${res.status} ${res.headers.location}`);
    assert.match(res.body, /Sign in/);
    const home = await https("GET", "/", header([[HTTP.access, attacker.jar[HTTP.access]]]), NAVIGATE);
    assert.equal(home.status, 307);
    assert.equal(home.headers.location, "/login?next=%2F");
  });
});

/**
 * What a browser does from a page load: follow redirects, run the hand-off
 * page's POST, go where its script says. `planted` cookies are sent on every
 * request and never cleared (the server cannot clear a cookie set for the
 * parent domain under another Path).
 */
async function browse(start: string, planted: string, send: (pathname: string, cookie: string, headers?: Record<string, string>) => Promise<TlsResponse>) {
  const visited: string[] = [];
  let url = start;
  for (let hop = 0; hop < 12; hop++) {
    visited.push(url);
    const res = await send(url, planted, NAVIGATE);
    if (res.status === 303 || res.status === 307) {
      url = String(res.headers.location);
      continue;
    }
    if (url.startsWith("/api/auth/resume")) {
      // The hand-off page: POST /api/auth/refresh, then location.replace(...)
      const refresh = await send("/api/auth/refresh", planted, { "x-csrf-token": "", "sec-fetch-mode": "cors", "sec-fetch-site": "same-origin", origin: "" });
      const targets = [...res.body.matchAll(/location\.replace\("([^"]*)"\)/g)].map((m) => m[1]);
      const target = refresh.status === 200 ? targets[0] : targets.find((t) => t.startsWith("/login"));
      assert.ok(target, `the hand-off page names where to go: ${res.body.slice(0, 200)}`);
      url = target.replace(/\\u0026/g, "&");
      continue;
    }
    return { res, visited };
  }
  assert.fail(`no end after 12 navigations: ${visited.join(" → ")}`);
}

describe("a planted expired access token and no refresh cookie: /login shows the form, never a loop", () => {
  test("over http (planted access_token)", async () => {
    const attacker = await signUp("http");
    await sleep(2300);
    const planted = header([[HTTP.access, attacker.jar[HTTP.access]]]);
    const { res, visited } = await browse("/login?next=%2F", planted, (p, cookie, headers = {}) => {
      const { origin: _origin, ...rest } = headers;
      return plain(p.startsWith("/api/auth/refresh") ? "POST" : "GET", p, { headers: { cookie, ...rest } });
    });
    assert.equal(res.status, 200);
    assert.match(res.body, /Sign in/);
    assert.ok(visited.length <= 4, visited.join(" → "));
  });

  test("over https (a planted plain access_token)", async () => {
    const attacker = await signUp("http");
    await sleep(2300);
    for (const planted of [header([[HTTP.access, attacker.jar[HTTP.access]]])]) {
      const { res, visited } = await browse("/login?next=%2F", planted, (p, cookie, headers = {}) =>
        https(p.startsWith("/api/auth/refresh") ? "POST" : "GET", p, cookie, { ...headers, origin: APP }),
      );
      assert.equal(res.status, 200, visited.join(" → "));
      assert.match(res.body, /Sign in/);
      assert.ok(visited.length <= 4, visited.join(" → "));
    }
  });
});

describe("over plain http, duplicates are refused the same way", () => {
  test("two access_token cookies: /api/me 403, nothing cleared; a page shows the sign-in form", async () => {
    const victim = await signUp("http");
    const attacker = await signUp("http");
    const cookie = header([[HTTP.access, attacker.jar[HTTP.access]], [HTTP.access, victim.jar[HTTP.access]]]);
    const me = await plain("GET", "/api/me", { headers: { cookie } });
    assert.equal(me.status, 403);
    assert.deepEqual(me.setCookies, []);
    const page = await plain("GET", "/login", { headers: { cookie, ...NAVIGATE } });
    assert.equal(page.status, 200);
    assert.match(page.body, /Sign in/);
  });
});

describe("moving a host from http to https (item 9)", () => {
  test("old plain cookies over https: pages ignore them (the form, no loop) and a refused refresh clears both name sets", async () => {
    const old = await signUp("http");
    await sleep(2300); // the old http access token has expired too
    const oldCookies = header([[HTTP.access, old.jar[HTTP.access]], [HTTP.csrf, old.jar[HTTP.csrf]]]);
    const login = await https("GET", "/login?next=%2F", oldCookies, NAVIGATE);
    assert.equal(login.status, 200, `${login.status} → ${login.headers.location}`);
    assert.match(login.body, /Sign in/);

    const refused = await https("POST", "/api/auth/refresh", header([[HTTP.refresh, old.jar[HTTP.refresh]]]), { origin: APP });
    assert.equal(refused.status, 401);
    for (const name of [...Object.values(HTTPS), ...Object.values(HTTP)]) {
      assert.ok(refused.setCookies.some((line) => line.startsWith(`${name}=;`) && /Max-Age=0/.test(line)), `${name} cleared: ${refused.setCookies.join(" | ")}`);
    }
    const logout = await https("POST", "/api/auth/logout", "", { origin: APP });
    assert.equal(logout.status, 204);
    for (const name of Object.values(HTTP)) assert.ok(logout.setCookies.some((line) => line.startsWith(`${name}=;`)), `logout clears ${name}`);
  });
});
