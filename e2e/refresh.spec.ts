import { countRequests, expect, readsSettled, test } from "./fixtures";
import { PAST_EXPIRY_MS } from "./timing";

// The refresh flow's real-time journey: the one test here that waits out a
// real access token (4 s on the e2e server) instead of asking the kit, so the
// wrapper's own clock, the server's Date header and a token that truly
// expired meet as in life. The others get the same states from the kit.
test("after expiry, a page making several requests refreshes exactly once, one extra round trip in all", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  await page.goto("/");
  await expect(page.getByTestId("fresh-badge")).toHaveText("Fresh");
  await page.waitForTimeout(PAST_EXPIRY_MS);
  const requests = countRequests(page);
  const answered = Promise.all([page.waitForResponse("**/api/me"), page.waitForResponse("**/api/sessions")]);
  await page.getByRole("button", { name: "Check status" }).click();
  const responses = await answered;
  expect(responses.map((r) => r.status())).toEqual([200, 200]);
  await expect(page.getByTestId("fresh-badge")).toHaveText("Not fresh");
  expect(requests.count("POST /api/auth/refresh")).toBe(1);
  // Two reads, one refresh: no request was sent with the expired token and retried.
  expect(requests.seen.sort()).toEqual(["GET /api/me", "GET /api/sessions", "POST /api/auth/refresh"]);
  await expect(page).toHaveURL("/");
});

test("a request that meets an expired token costs exactly one extra round trip", async ({ page, user, kit }) => {
  const session = await kit.signIn(page.context(), user);
  await page.goto("/account");
  await readsSettled(page); // the page's own reads are done
  // Expired for the server and in the page's record: the wrapper renews first.
  await kit.expireAccess(page, session);
  const requests = countRequests(page);
  await page.getByLabel("Name", { exact: true }).fill("Ada King");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();
  expect(requests.seen).toEqual(["POST /api/auth/refresh", "ACTION /account"]);
});

test("without a known expiry, the wrapper still recovers from token_expired with one refresh and one retry", async ({ page, user, kit }) => {
  const session = await kit.signIn(page.context(), user);
  await page.goto("/account");
  await readsSettled(page); // the page's own reads are done
  // Expired behind the page's back: only the server's token_expired can tell it.
  await kit.setAccessState(page.context(), session, "access_expired");
  await page.evaluate(() => localStorage.removeItem("fresh-auth:access-expires-at"));
  const requests = countRequests(page);
  await page.getByLabel("Name", { exact: true }).fill("Ada Byron");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();
  expect(requests.seen).toEqual(["ACTION /account", "POST /api/auth/refresh", "ACTION /account"]);
});

test("two tabs after expiry stay signed in with one refresh between them", async ({ context, user, kit }) => {
  const session = await kit.signIn(context, user, { accessTtlSeconds: 60 }); // expires when the test says
  const one = await context.newPage();
  const two = await context.newPage();
  await one.goto("/");
  await two.goto("/");
  for (const tab of [one, two]) await readsSettled(tab);
  await kit.expireAccess(context, session);
  const requests = countRequests(context);
  await Promise.all([one.getByRole("button", { name: "Check status" }).click(), two.getByRole("button", { name: "Check status" }).click()]);
  for (const tab of [one, two]) {
    await expect(tab.getByTestId("fresh-badge")).toHaveText("Not fresh");
    await expect(tab.getByTestId("access-expiry")).toContainText("expires at");
    await expect(tab).toHaveURL("/");
  }
  expect(requests.count("POST /api/auth/refresh")).toBe(1);
});

test("without Web Locks, the localStorage lease keeps three tabs signed in, refreshing for all of them", async ({ context, user, kit }) => {
  // Older browsers: the wrapper falls back to a lease in localStorage (lib/client/browser-env.ts).
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
  });
  const session = await kit.signIn(context, user, { accessTtlSeconds: 60 }); // expires when the test says
  const tabs = [await context.newPage(), await context.newPage(), await context.newPage()];
  for (const tab of tabs) await tab.goto("/");
  expect(await tabs[0].evaluate(() => navigator.locks)).toBeUndefined();
  for (const tab of tabs) await readsSettled(tab);
  await kit.expireAccess(context, session);
  const requests = countRequests(context);
  await Promise.all(tabs.map((tab) => tab.getByRole("button", { name: "Check status" }).click()));
  for (const tab of tabs) {
    await expect(tab.getByTestId("fresh-badge")).toHaveText("Not fresh");
    await expect(tab).toHaveURL("/");
  }
  // One refresh as a rule (seen in every local run). The lease is not atomic
  // across processes, so two tabs can rarely both take it; the server's reuse
  // grace makes that a second 200, never a sign-out. Without any lease, each
  // of the three tabs would refresh.
  expect(requests.count("POST /api/auth/refresh")).toBeLessThanOrEqual(2);
});

test("revoking another session signs it out on its next request", async ({ browser, user, kit }) => {
  const firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0";
  const mine = await browser.newContext();
  const theirs = await browser.newContext({ userAgent: firefox });
  try {
    await kit.signIn(mine, user);
    await kit.signIn(theirs, user, { userAgent: firefox });
    const other = await theirs.newPage();
    await other.goto("/");
    const page = await mine.newPage();
    await page.goto("/account");
    const list = page.getByRole("list", { name: "Sessions" });
    await expect(list.getByRole("listitem")).toHaveCount(2);
    await expect(list.getByRole("listitem").filter({ hasText: "This device" })).toHaveCount(1);
    const row = list.getByRole("listitem").filter({ hasText: "Firefox on Windows" });
    await row.getByRole("button", { name: "Sign out" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);

    await other.getByRole("button", { name: "Check status" }).click();
    await expect(other).toHaveURL("/login?next=%2F");
  } finally {
    await mine.close();
    await theirs.close();
  }
});
