// The page and every tab stay in step with the session: the user shown, the
// timeline, the "Confirm it's you" dialog, and the end of the session.
import Database from "better-sqlite3";
import { countRequests, expect, readsSettled, test } from "./fixtures";
import { PAST_EXPIRY_MS } from "./timing";

const RELOGIN = "Confirm it's you";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0";

function emailInDb(id: string): string {
  const db = new Database(process.env.E2E_DB_FILE as string, { readonly: true, timeout: 5_000 });
  try {
    return (db.prepare(`SELECT "email" FROM "User" WHERE "id" = ?`).get(id) as { email: string }).email;
  } finally {
    db.close();
  }
}

function setEmailInDb(id: string, email: string) {
  const db = new Database(process.env.E2E_DB_FILE as string, { timeout: 5_000 });
  try {
    db.prepare(`UPDATE "User" SET "email" = ? WHERE "id" = ?`).run(email, id);
  } finally {
    db.close();
  }
}

test("a saved name shows in every tab at once; an e-mail changed elsewhere shows in the header and home page without a reload", async ({ context, user, cleanup, kit }) => {
  await kit.signIn(context, user);
  const account = await context.newPage();
  const home = await context.newPage();
  await account.goto("/account");
  await home.goto("/");
  await expect(home.getByRole("heading", { level: 1 })).toHaveText("Hello, Ada Lovelace");

  await account.getByLabel("Name", { exact: true }).fill("Ada King");
  await account.getByRole("button", { name: "Save" }).click();
  await expect(account.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();
  await expect(home.getByRole("heading", { level: 1 })).toHaveText("Hello, Ada King");

  // The address changes on the server (as a confirmed e-mail-change link does);
  // the first answer that carries the user updates every place in every tab.
  const moved = `e2e-moved-${Date.now()}@example.com`;
  cleanup.push(moved);
  setEmailInDb(user.id, moved);
  await home.getByRole("button", { name: "Check status" }).click();
  for (const tab of [home, account]) await expect(tab.getByRole("banner").getByText(moved)).toBeVisible();
  await expect(home.getByRole("main").getByText(`Signed in as ${moved}`)).toBeVisible();
  await expect(account.getByTestId("current-email")).toHaveText(moved);
});

test("the e-mail form's change shows in the header at once", async ({ page, user, cleanup, kit }) => {
  const moved = `e2e-form-${Date.now()}@example.com`;
  cleanup.push(moved);
  // Not fresh (as after a renewal): the change asks to confirm it's you.
  await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto("/account");
  await page.getByLabel("New email").fill(moved);
  await page.getByRole("button", { name: "Change email" }).click();
  const dialog = page.getByRole("dialog", { name: RELOGIN });
  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  // Whatever the answer (changed now, or pending a link), the header shows
  // what the server says the address is.
  await expect(page.getByRole("region", { name: "Email" }).getByRole("status")).toBeVisible();
  const now = emailInDb(user.id);
  await expect(page.getByRole("banner").getByText(now, { exact: true })).toBeVisible();
  await expect(page.getByTestId("current-email")).toHaveText(now);
});

test("the timeline tells expiry and renewal, the badge is a polite live region, and every tab shows the same story", async ({ context, user, kit }) => {
  await kit.signIn(context, user);
  const one = await context.newPage();
  const two = await context.newPage();
  await one.goto("/");
  await two.goto("/");
  const badge = one.getByTestId("fresh-badge");
  await expect(badge).toHaveAttribute("aria-live", "polite");
  const timeline = (tab: typeof one) => tab.getByRole("list", { name: "Timeline" }).getByRole("listitem");
  // Whatever happened while the tabs opened (a slow machine may already have
  // renewed once), the token now current expires on the timeline, then renews.
  // A real wait, not the kit: the timeline derives "expired" from the clock.
  await one.waitForTimeout(PAST_EXPIRY_MS);
  await expect(timeline(one).last()).toContainText("Access token expired");
  await one.getByRole("button", { name: "Check status" }).click();
  await expect(badge).toHaveText("Not fresh");
  await expect(timeline(one).last()).toContainText("Access token renewed silently");
  await expect(timeline(one).last()).toContainText(/not fresh, expires at/);
  const story = await timeline(one).allInnerTexts();
  const labels = story.map((line) => line.split("\n")[0].replace(/\s*\d.*$/, ""));
  expect(labels[0]).toBe("Signed in with password");
  expect(labels.slice(-2)).toEqual(["Access token expired", "Access token renewed silently"]);
  await expect.poll(() => timeline(two).allInnerTexts()).toEqual(story);
});

test("freshness counts seconds in the last minute, and the end of the fresh window is on the timeline", async ({ page, user, kit }) => {
  await page.clock.install();
  await kit.signIn(page.context(), user);
  await page.goto("/");
  await expect(page.getByTestId("fresh-detail")).toHaveText("fresh for 10 more minutes");
  // The browser's clock runs on into the last minute of the 10-minute window:
  // seconds now, never "1 more minute" for what is 30-odd seconds.
  await page.clock.fastForward("09:25");
  await expect(page.getByTestId("fresh-detail")).toHaveText(/^fresh for [1-5]?\d more seconds?$/);
  await page.clock.fastForward("00:45");
  await expect(page.getByTestId("fresh-badge")).toHaveText("Not fresh");
  await expect(page.getByRole("list", { name: "Timeline" }).getByRole("listitem").filter({ hasText: "Fresh window ended" })).toHaveCount(1);
});

test("one confirmation closes the dialog in every tab and replays each tab's request; both pages show the server's address", async ({ context, user, cleanup, kit }) => {
  const session = await kit.signIn(context, user, { accessTtlSeconds: 60 }); // expires when the test says
  const one = await context.newPage();
  const two = await context.newPage();
  await one.goto("/account");
  await two.goto("/account");
  for (const tab of [one, two]) await readsSettled(tab);
  // Expired, and the tabs know: the first change renews (not fresh) before it
  // is sent, so each tab's change is refused once for freshness, then replayed.
  await kit.expireAccess(context, session);
  const requests = countRequests(context);
  const emails = [`e2e-one-${Date.now()}@example.com`, `e2e-two-${Date.now()}@example.com`];
  cleanup.push(...emails);
  for (const [index, tab] of [one, two].entries()) {
    await tab.getByLabel("New email").fill(emails[index]);
    await tab.getByRole("button", { name: "Change email" }).click();
    await expect(tab.getByRole("dialog", { name: RELOGIN })).toBeVisible();
  }
  await one.getByRole("dialog", { name: RELOGIN }).getByLabel("Password").fill(user.password);
  await one.getByRole("dialog", { name: RELOGIN }).getByRole("button", { name: "Confirm" }).click();
  for (const tab of [one, two]) {
    await expect(tab.getByRole("dialog", { name: RELOGIN })).toBeHidden();
    await expect(tab.getByRole("region", { name: "Email" }).getByRole("status")).toBeVisible();
    await expect(tab.getByRole("region", { name: "Email" }).getByRole("alert")).toHaveCount(0);
  }
  expect(requests.count("POST /api/auth/fresh-login")).toBe(1);
  expect(requests.count("ACTION /account")).toBe(4); // each tab: the first try, then its replay
  for (const tab of [one, two]) await expect(tab.getByTestId("current-email")).toHaveText(emailInDb(user.id));
});

test("signing out in one tab takes the other to /login at once, saying why", async ({ context, user, kit }) => {
  await kit.signIn(context, user);
  const one = await context.newPage();
  const two = await context.newPage();
  await one.goto("/account");
  await two.goto("/");
  await one.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(one).toHaveURL("/login?status=signed-out");
  await expect(two).toHaveURL("/login?next=%2F");
  await expect(two.getByRole("status")).toHaveText("You were signed out in another tab.");
  await two.reload();
  await expect(two.getByText("You were signed out in another tab.")).toHaveCount(0); // said once
});

test("a session ended from another device, or expired, says so on /login", async ({ browser, user, kit }) => {
  const mine = await browser.newContext();
  const theirs = await browser.newContext({ userAgent: FIREFOX });
  try {
    const session = await kit.signIn(mine, user);
    // A minute's token: the point is the ended session, and a 4-second token
    // that ran out on a slow machine would send the check through the
    // page-load hand-off (/api/auth/resume) instead of the API's answer.
    await kit.signIn(theirs, user, { userAgent: FIREFOX, accessTtlSeconds: 60 });
    const other = await theirs.newPage();
    await other.goto("/");
    const page = await mine.newPage();
    await page.goto("/account");
    await page.getByRole("list", { name: "Sessions" }).getByRole("listitem").filter({ hasText: "Firefox on Windows" }).getByRole("button", { name: "Sign out" }).click();
    await other.getByRole("button", { name: "Check status" }).click();
    await expect(other).toHaveURL("/login?next=%2F");
    await expect(other.getByRole("status")).toHaveText("This session was ended from another device.");

    // The session's own life ran out: its refresh cookie is gone.
    await kit.expireAccess(page, session);
    await mine.clearCookies({ name: "refresh_token" });
    await page.getByLabel("Name", { exact: true }).fill("Ada");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL("/login?next=%2Faccount");
    await expect(page.getByRole("status")).toHaveText("Your session expired. Sign in again to carry on.");
  } finally {
    await mine.close();
    await theirs.close();
  }
});

test("Back after sign-out, or after the session ended elsewhere, never shows the account", async ({ browser, user, kit }) => {
  const mine = await browser.newContext();
  const theirs = await browser.newContext();
  try {
    await kit.signIn(mine, user);
    const page = await mine.newPage();
    await page.goto("/account");
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/login?status=signed-out");
    await page.goBack();
    await expect(page).toHaveURL("/login?next=%2Faccount");
    await expect(page.getByText(user.email)).toHaveCount(0);

    // Signed in again; the account page sits in history while another device ends the session.
    await kit.signIn(mine, user);
    await page.goto("/account");
    await page.goto("/login?status=signed-out"); // any full navigation away
    await kit.signIn(theirs, user);
    const other = await theirs.newPage();
    await other.goto("/account");
    await other.getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(other.getByRole("list", { name: "Sessions" }).getByRole("listitem")).toHaveCount(1);
    await page.goBack();
    await expect(page).toHaveURL("/login?next=%2Faccount");
    await expect(page.getByText(user.email)).toHaveCount(0);
    // A full page load says why too: the server saw the ended session's cookie.
    await expect(page.getByRole("status")).toHaveText("This session was ended from another device.");
  } finally {
    await mine.close();
    await theirs.close();
  }
});

test("a page restored from the back/forward cache stays hidden until its session is re-checked, and a dead one goes to /login", async ({ browser, user, kit }) => {
  const mine = await browser.newContext();
  const theirs = await browser.newContext();
  try {
    await kit.signIn(mine, user);
    await kit.signIn(theirs, user);
    const page = await mine.newPage();
    await page.goto("/account");
    // Alive: hidden while checking, then shown again.
    await page.evaluate(() => {
      dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
      dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    });
    await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
    await expect(page.locator("html")).not.toHaveAttribute("data-session-check");

    const other = await theirs.newPage();
    await other.goto("/account");
    await other.getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(other.getByRole("list", { name: "Sessions" }).getByRole("listitem")).toHaveCount(1);
    // Ended elsewhere while "in the cache": restored, it never shows the account again.
    await page.route("**/api/me", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300)); // time to look at the page while it is checked
      await route.continue();
    });
    await page.evaluate(() => {
      dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
      dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    });
    await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeHidden();
    await expect(page).toHaveURL("/login?next=%2Faccount");
    await expect(page.getByRole("status")).toHaveText("This session was ended from another device.");
  } finally {
    await mine.close();
    await theirs.close();
  }
});
