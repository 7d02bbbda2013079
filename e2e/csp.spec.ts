// Issue 10, item 10: every page carries a nonce-based Content-Security-Policy
// and works under it: Chromium reports no violation on any page, signed in or
// out, and the scripts that make the pages work (hydration, the forms, the
// hand-off page) all run.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/** Collects what Chromium says about the policy: a violation is logged to the console as an error. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => violations.push(`${page.url()}: page error ${error.message}`));
  return violations;
}

test("signed out: /login, /register, /unavailable, a 404 and the hand-offs run under the policy with no violation", async ({ page, user }) => {
  const violations = watchViolations(page);
  for (const path of ["/register", "/unavailable?next=%2F", "/no-such-page", "/resume?next=%2F", "/api/auth/resume?next=%2F"]) {
    const response = await page.goto(path);
    expect(response?.headers()["content-security-policy"] ?? "", path).toContain("'strict-dynamic'");
    await page.waitForLoadState("networkidle");
  }
  // The hand-offs ran their scripts: with no session they end on the sign-in form.
  await expect(page).toHaveURL(/\/login\?next=%2F/);
  // And the form's script works: a real sign-in.
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL("/");
  expect(violations).toEqual([]);
});

test("signed in: /, /account, a save and a client-side navigation run under the policy with no violation", async ({ page, user, kit }) => {
  const violations = watchViolations(page);
  await kit.signIn(page.context(), user);
  await page.goto("/");
  await expect(page.getByTestId("fresh-badge")).toHaveText("Fresh");
  await page.goto("/account");
  await page.getByLabel("Name", { exact: true }).fill("Ada Under Policy");
  await page.getByRole("button", { name: "Save" }).click();
  // (The access token may expire meanwhile: the wrapper's refresh and retry run under the policy too.)
  await expect(page.getByText("Name saved.")).toBeVisible();
  // A client-side navigation (RSC fetch) under the policy too.
  await page.getByRole("link", { name: "Home" }).click();
  await expect(page).toHaveURL("/");
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});
