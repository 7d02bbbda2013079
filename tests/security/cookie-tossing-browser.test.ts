// Issue 10, item 3, in a real Chromium over https: a sibling subdomain
// (evil.example.test) plants cookies for the parent domain, exactly as a
// browser lets it, and the victim uses the app (app.example.test) through
// its real pages. Both names resolve to this machine; a TLS proxy with a
// self-signed certificate serves both (cookies ignore ports).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type http from "node:http";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { freePort, PASSWORD, sleep, startServer, uniqueEmail, type TestServer } from "../http/harness";
import { httpsRequest, startTlsProxy, type TlsProxy } from "../http/tls-proxy";

const HOST = "app.example.test";
const SIBLING = "evil.example.test";
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

let server: TestServer;
let proxy: TlsProxy;
let browser: Browser;
let APP: string;
let EVIL: string;
/** What the sibling's page plants (Set-Cookie lines) and embeds (HTML). */
let sibling = { setCookies: [] as string[], html: "" };

const siblingPage = (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "set-cookie": sibling.setCookies });
  res.end(`<!doctype html><title>sibling</title>${sibling.html}`);
};

before(async () => {
  const port = await freePort();
  server = await startServer({ AUTH_ACCESS_TTL: "3s" });
  proxy = await startTlsProxy({ target: server.url, hosts: [HOST, SIBLING], port, siblings: { [SIBLING]: siblingPage } });
  APP = proxy.origin(HOST);
  EVIL = proxy.origin(SIBLING);
  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", `--host-resolver-rules=MAP ${HOST} 127.0.0.1, MAP ${SIBLING} 127.0.0.1`],
  });
});
after(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.stop();
});

async function register(): Promise<{ email: string; refresh: string }> {
  const email = uniqueEmail("browser");
  const res = await httpsRequest(APP, "POST", "/api/auth/register", { json: { email, password: PASSWORD }, headers: { origin: APP } });
  assert.equal(res.status, 201, res.body);
  const line = res.setCookies.find((l) => l.startsWith("__Secure-refresh_token="))!;
  return { email, refresh: line.split(";")[0].split("=")[1] };
}

/** The victim signs in through the real form. */
async function victimSignedIn(): Promise<{ context: BrowserContext; page: Page; email: string }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const { email } = await register();
  await page.goto(`${APP}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${APP}/`);
  return { context, page, email };
}

async function visitSibling(page: Page, setCookies: string[], html = "") {
  sibling = { setCookies, html };
  await page.goto(`${EVIL}/`);
  await page.waitForLoadState("load");
}

describe("cookie tossing in Chromium over https", () => {
  test("a planted __Secure-refresh_token (Domain=parent) plus an <img src=/api/auth/resume>: no rotation, no swap into the attacker's account", async () => {
    const attacker = await register();
    const { context, page, email } = await victimSignedIn();
    await visitSibling(
      page,
      [`__Secure-refresh_token=${attacker.refresh}; Domain=example.test; Path=/api/auth/resume; Secure; HttpOnly; SameSite=None`],
      `<img src="${APP}/api/auth/resume?next=%2F" alt="">`,
    );
    // The precondition, as the browser sees it: the sibling's cookie was accepted for our host too.
    const planted = (await context.cookies(`${APP}/api/auth/resume`)).filter((c) => c.name === "__Secure-refresh_token");
    assert.equal(planted.length, 2, "Chromium keeps both: ours (host-only) and the planted one (Domain=example.test)");

    await sleep(3300); // the victim's access token expires: the next page load hands off to resume
    await page.goto(`${APP}/`);
    await page.waitForLoadState("load");
    const text = await page.locator("body").innerText();
    assert.ok(!text.includes(attacker.email), `the victim must never see the attacker's account (at ${page.url()})`);
    // Where the victim lands: their own page, or the sign-in form after the refused hand-off; never a loop.
    assert.ok(text.includes(email) || /\/login\?next=%2F&status=session-ended$/.test(page.url()), `landed on ${page.url()}`);
    await context.close();
  });

  test("a planted plain csrf_token at Path=/account: writes on /account (through the fetch wrapper) and Sign out still work", async () => {
    const { context, page } = await victimSignedIn();
    await visitSibling(page, ["csrf_token=planted; Domain=example.test; Path=/account; Secure; SameSite=Lax"]);
    await page.goto(`${APP}/account`);
    // A write through the fetch wrapper, which copies the CSRF cookie into X-CSRF-Token.
    // (A 401 token_expired on the way is the wrapper's to refresh and retry; a 403 is the failure.)
    const revoked = page.waitForResponse((r) => r.url().endsWith("/api/sessions") && r.request().method() === "DELETE" && r.status() !== 401);
    await page.getByRole("button", { name: "Sign out other sessions" }).click();
    assert.equal((await revoked).status(), 204, "the DELETE carried the real CSRF value");

    const logout = page.waitForResponse((r) => r.url().endsWith("/api/auth/logout"));
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    assert.equal((await logout).status(), 204, "logout carried the real CSRF value");
    await page.waitForURL(`${APP}/login?status=signed-out`);
    await context.close();
  });
});
