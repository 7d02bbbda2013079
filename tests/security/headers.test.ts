// Issue 10, item 10: HSTS when APP_URL is https (through a real TLS proxy),
// and a nonce-based Content-Security-Policy on every page: a new nonce per
// response, on every script the page carries. The browser half (no CSP
// violation on any page, nothing broken) is e2e/csp.spec.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { freePort, registered, startServer, type TestServer } from "../http/harness";
import { httpsRequest, startTlsProxy, type TlsProxy } from "../http/tls-proxy";

const HOST = "app.example.test";
let secure: TestServer;
let plain: TestServer;
let proxy: TlsProxy;
let APP: string;

before(async () => {
  const port = await freePort();
  APP = `https://${HOST}:${port}`;
  [secure, plain] = await Promise.all([startServer({ APP_URL: APP }), startServer()]);
  proxy = await startTlsProxy({ target: secure.url, hosts: [HOST], port });
});
after(async () => {
  await proxy?.close();
  await Promise.all([secure?.stop(), plain?.stop()]);
});

const PAGES = ["/", "/login", "/register", "/account", "/resume", "/unavailable", "/no-such-page"];

describe("Strict-Transport-Security", () => {
  test("APP_URL=https://…: on pages, API answers, errors and static files", async () => {
    for (const path of ["/login", "/api/health", "/api/me", "/api/nope", "/favicon.svg", "/no-such-page"]) {
      const res = await httpsRequest(APP, "GET", path);
      assert.match(String(res.headers["strict-transport-security"]), /^max-age=31536000; includeSubDomains$/, `${path} → ${res.status}`);
    }
  });

  test("without an https APP_URL: never (HSTS over http would be ignored, and localhost must stay usable)", async () => {
    for (const path of ["/login", "/api/health"]) {
      const res = await fetch(plain.url + path);
      assert.equal(res.headers.get("strict-transport-security"), null, path);
    }
  });
});

function policyOf(csp: string | null | undefined): Map<string, string[]> {
  assert.ok(csp, "a Content-Security-Policy header");
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

function assertPolicy(csp: string | null | undefined, context: string): string {
  const policy = policyOf(csp);
  const scripts = policy.get("script-src") ?? [];
  const nonce = scripts.find((v) => v.startsWith("'nonce-"));
  assert.ok(nonce, `${context}: script-src has a nonce (${csp})`);
  assert.ok(scripts.includes("'strict-dynamic'"), `${context}: 'strict-dynamic'`);
  assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'"), `${context}: no unsafe-inline/eval`);
  assert.deepEqual(policy.get("frame-ancestors"), ["'none'"], context);
  assert.deepEqual(policy.get("base-uri"), ["'none'"], context);
  assert.deepEqual(policy.get("object-src"), ["'none'"], context);
  return nonce.slice("'nonce-".length, -1);
}

/** Every <script> tag in the HTML carries exactly this nonce. */
function assertScriptsCarry(html: string, nonce: string, context: string) {
  const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.ok(tags.length > 0, `${context}: the page has scripts`);
  for (const tag of tags) assert.ok(tag.includes(`nonce="${nonce}"`), `${context}: ${tag}`);
}

describe("Content-Security-Policy", () => {
  test("every page, signed out and signed in, has the policy, and a new nonce per response on every script", async () => {
    const { client } = await registered(plain.url);
    for (const path of PAGES) {
      for (const who of ["signed out", "signed in"] as const) {
        const headers: Record<string, string> = { accept: "text/html", "sec-fetch-mode": "navigate", "sec-fetch-site": "same-origin" };
        if (who === "signed in") headers.cookie = client.cookieHeader(path);
        const first = await fetch(plain.url + path, { headers, redirect: "manual" });
        const second = await fetch(plain.url + path, { headers, redirect: "manual" });
        const context = `${who} ${path} (${first.status})`;
        // Redirects (signed-out /account, signed-in /login) are not pages.
        if (first.status !== 200 && first.status !== 404) continue;
        const nonce = assertPolicy(first.headers.get("content-security-policy"), context);
        assert.notEqual(assertPolicy(second.headers.get("content-security-policy"), context), nonce, `${context}: a new nonce each time`);
        assertScriptsCarry(await first.text(), nonce, context);
      }
    }
  });

  test("the page-load hand-off page (/api/auth/resume without a refresh cookie) has its own nonce", async () => {
    const res = await fetch(`${plain.url}/api/auth/resume?next=%2F`, { headers: { accept: "text/html" } });
    assert.equal(res.status, 200);
    const nonce = assertPolicy(res.headers.get("content-security-policy"), "resume");
    assertScriptsCarry(await res.text(), nonce, "resume");
  });

  test("through the TLS proxy with APP_URL=https://…, pages carry the policy too", async () => {
    const res = await httpsRequest(APP, "GET", "/login", { headers: { accept: "text/html" } });
    assert.equal(res.status, 200);
    assertScriptsCarry(res.body, assertPolicy(res.headers["content-security-policy"] as string, "https /login"), "https /login");
  });

  test("a client cannot choose the nonce: a forged x-nonce or CSP request header is overwritten", async () => {
    const res = await fetch(`${plain.url}/login`, { headers: { accept: "text/html", "x-nonce": "forged", "content-security-policy": "script-src 'nonce-forged'" } });
    const nonce = assertPolicy(res.headers.get("content-security-policy"), "forged");
    assert.notEqual(nonce, "forged");
    assert.ok(!(await res.text()).includes('nonce="forged"'));
  });
});
