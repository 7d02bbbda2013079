import type { Page } from "@playwright/test";
import { countRequests, expect, readsSettled, test } from "./fixtures";

/** Counts animation frames in which the header or the page's heading was missing (a blank screen). */
async function watchForBlankFrames(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { blankFrames: number };
    w.blankFrames = 0;
    const check = () => {
      if (!document.querySelector("header nav") || !document.querySelector("main h1")) w.blankFrames++;
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  return () => page.evaluate(() => (window as unknown as { blankFrames: number }).blankFrames);
}

test("header links after expiry: the token is renewed first, the page and header stay on screen, one refresh per expiry", async ({ page, user, kit }) => {
  const session = await kit.signIn(page.context(), user, { accessTtlSeconds: 60 }); // expires when the test says
  await page.goto("/");
  await expect(page.getByTestId("fresh-badge")).toHaveText("Fresh");
  const paths: string[] = [];
  page.on("request", (request) => paths.push(new URL(request.url()).pathname));
  const blankFrames = await watchForBlankFrames(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  const refreshesPerExpiry: number[] = [];
  for (const [link, heading] of [["Account", "Account"], ["Home", /^Hello/], ["Account", "Account"]] as const) {
    await readsSettled(page);
    await kit.expireAccess(page, session); // expired, and the page knows: it renews before navigating
    const requests = countRequests(page);
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
    // The page's own reads (the sessions list) are answered with the renewed token.
    await readsSettled(page);
    refreshesPerExpiry.push(requests.count("POST /api/auth/refresh"));
    requests.stop();
  }
  expect(refreshesPerExpiry).toEqual([1, 1, 1]);
  // No hand-off page on the way, nothing saying a sign-in happened, never a blank frame.
  expect(paths.filter((path) => path === "/resume" || path === "/api/auth/resume" || path === "/login")).toEqual([]);
  expect(await blankFrames()).toBe(0);
  await expect(page.getByText(/signing you in/i)).toHaveCount(0);
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("offline, a header link keeps the user on the page with the forms' calm message, typed text kept", async ({ page, context, user, kit }) => {
  await kit.signIn(context, user);
  await page.goto("/account");
  await page.getByLabel("Name", { exact: true }).fill("Half-typed name");
  await context.setOffline(true);
  try {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    await expect(page.getByRole("banner").getByRole("status")).toContainText("Could not reach the server");
    await expect(page.getByRole("banner").getByRole("status")).toContainText("You are still signed in");
    await expect(page).toHaveURL("/account");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Half-typed name");
  } finally {
    await context.setOffline(false);
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Hello/ })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("status")).toHaveCount(0);
});
