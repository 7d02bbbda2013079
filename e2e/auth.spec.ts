import { countRequests, expect, readsSettled, test } from "./fixtures";
import { PAST_EXPIRY_MS } from "./timing";

test("register through the form, reached from the sign-in page's link: signed in, fresh, on the home page", async ({ page, cleanup }) => {
  const email = `e2e-register-${Date.now()}@example.com`;
  cleanup.push(email);
  await page.goto("/login");
  await page.getByRole("link", { name: "Create account" }).click();
  await expect(page).toHaveURL("/register");
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByText(email).first()).toBeVisible();
  await expect(page.getByTestId("fresh-badge")).toHaveText("Fresh");
});

test("sign in through the form, with a wrong password first", async ({ page, user }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("do not match");
  await page.getByLabel("Password").fill(user.password);
  // Hold the answer back to see the pending state: the button says it is busy,
  // keeps its name, and a second press sends nothing more.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/auth/login", async (route) => {
    await held;
    await route.continue();
  });
  const requests = countRequests(page);
  const signInButton = page.getByRole("button", { name: "Sign in", exact: true });
  await signInButton.click();
  await expect(signInButton).toHaveAttribute("aria-busy", "true");
  await expect(signInButton).toHaveAttribute("aria-disabled", "true");
  await signInButton.click({ force: true }); // Playwright waits on aria-disabled; a person can still press it
  release();
  await expect(page).toHaveURL("/");
  // The greeting names the address (the unverified-e-mail banner may name it too).
  await expect(page.getByRole("main").getByText(`Signed in as ${user.email}`)).toBeVisible();
  expect(requests.count("POST /api/auth/login")).toBe(1);
});

test("a signed-out visitor goes to /login?next=… and comes back after signing in", async ({ page, user }) => {
  await page.goto("/account");
  await expect(page).toHaveURL("/login?next=%2Faccount");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
});

test("next= never leaves the site", async ({ page, user }) => {
  await page.goto("/login?next=//evil.example/steal");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL("/");
});

test("sign out from the header", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  await page.goto("/");
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/login?status=signed-out");
  await expect(page.getByRole("status")).toContainText("signed out");
  await page.goto("/");
  await expect(page).toHaveURL("/login?next=%2F");
});

// The page-load hand-off's real-time journey: a real wait, not the kit, so the
// open page, its timers and the server see one token truly run out together
// (the hand-off and the page's own wrapper must not both renew).
test("a full page load with an expired access token shows the signed-in page, no password asked", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  await page.goto("/");
  await page.waitForTimeout(PAST_EXPIRY_MS);
  const visited: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
  });
  const requests = countRequests(page);
  const sessionsRead = page.waitForResponse("**/api/sessions"); // the page's first API call
  await page.goto("/account");
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  expect((await sessionsRead).status()).toBe(200);
  expect(visited.filter((path) => path === "/login")).toEqual([]);
  expect(requests.count("GET /api/auth/resume")).toBe(1);
  // The hand-off was the one renewal: the page told the wrapper the new expiry in time.
  expect(requests.count("POST /api/auth/refresh")).toBe(0);
  await expect(page.getByRole("dialog")).toHaveCount(0);
  // The hand-off renewed out of the wrapper's sight; the timeline still tells it.
  await page.goto("/");
  await expect(page.getByText("Access token renewed silently")).toBeVisible();
});

test("clicking around across expiries never shows a login form", async ({ page, user, kit }) => {
  const session = await kit.signIn(page.context(), user, { accessTtlSeconds: 60 }); // expires when the test says
  await page.goto("/");
  const visited: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
  });
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [link, heading] of [["Account", "Account"], ["Home", /^Hello/]] as const) {
    await readsSettled(page);
    await kit.expireAccess(page, session);
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
  expect(visited.filter((path) => path === "/login")).toEqual([]);
  await expect(page.getByRole("dialog")).toHaveCount(0);
});
