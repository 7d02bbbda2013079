import { expectAccessible } from "./axe";
import { screenshotPath } from "./screens";
import type { Page } from "@playwright/test";
import type { AuthKit } from "../lib/testing/kit";
import { countRequests, expect, readsSettled, test, userExists, type SeededUser } from "./fixtures";

/**
 * An account page whose token has expired (for the server and in the page's
 * record, as after a wait): the next request refreshes first, and the new
 * token is not fresh, so a sensitive action asks to confirm it's you.
 */
async function staleAccountPage(page: Page, user: SeededUser, kit: AuthKit) {
  const session = await kit.signIn(page.context(), user, { accessTtlSeconds: 60 }); // expires when the test says
  await page.goto("/account");
  await readsSettled(page);
  await kit.expireAccess(page, session);
}

test("change e-mail through the dialog: wrong then right password, the original request replayed", async ({ page, user, cleanup, kit }) => {
  const newEmail = `e2e-moved-${Date.now()}@example.com`;
  cleanup.push(newEmail);
  await staleAccountPage(page, user, kit);
  const requests = countRequests(page);
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["next-action"]) sent.push(`ACTION ${/name="\w*email"\r\n\r\n([^\r]*)/.exec(request.postData() ?? "")?.[1]}`); // changeEmail's FormData
  });

  await page.getByLabel("New email").fill(newEmail);
  await page.getByRole("button", { name: "Change email" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Password")).toBeFocused();
  await expect(dialog).toContainText(user.email, { ignoreCase: true });
  await expect(dialog.getByRole("link", { name: "Forgot password?" })).toHaveAttribute("href", "/forgot-password");
  await expect(dialog).toContainText("won't be asked again for 10 minutes");
  await expect(page.getByLabel("New email")).toHaveValue(newEmail);
  // Tests write only to ignored folders; `node scripts/docs-screenshots.mjs` refreshes the README's copy.
  await page.screenshot({ path: screenshotPath("relogin-dialog.png") });
  await expectAccessible(page, "dialog[open]");

  await dialog.getByLabel("Password").fill("not my password");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByRole("alert")).toContainText("password is not right");
  await expect(dialog).toBeVisible();

  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByLabel("Password").press("Enter"); // the keyboard path
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Check ${newEmail}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Change email" })).toBeFocused();

  expect(requests.count("POST /api/auth/fresh-login")).toBe(2);
  expect(requests.count("POST /api/auth/refresh")).toBe(1);
  expect(sent).toEqual([`ACTION ${newEmail}`, `ACTION ${newEmail}`]);
  // Nothing changes until the new address confirms (e2e/recovery.spec.ts follows the link).
  await page.reload();
  await expect(page.getByTestId("current-email")).toHaveText(user.email);
  await expect(page.getByRole("status").filter({ hasText: `Check ${newEmail}` })).toBeVisible();
});

test("Cancel and Escape reject the waiting request calmly and change nothing", async ({ page, user, kit }) => {
  await staleAccountPage(page, user, kit);
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });

  await page.getByLabel("New email").fill("e2e-never@example.com");
  await page.getByRole("button", { name: "Change email" }).click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Cancelled. Nothing was changed." })).toBeVisible();
  await expect(page.locator(".notice-error")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Change email" })).toBeFocused();
  await expect(page.getByLabel("New email")).toHaveValue("e2e-never@example.com");

  await page.keyboard.press("Enter"); // the focused button, by keyboard
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Cancelled. Nothing was changed." })).toBeVisible();
  await expect(page.getByTestId("current-email")).toHaveText(user.email);
  await expect(page).toHaveURL("/account");
});

test("delete account asks for the password (a wrong one first), replays once, then lands on /login saying it was deleted", async ({ page, user, kit }) => {
  // Not fresh for a minute, with no expiry in the way: the count of DELETEs below
  // is the replay's, whatever the machine's speed (a token that expires between
  // the kit's mark and the click would add a token_expired retry).
  await kit.signIn(page.context(), user, { state: "not_fresh", accessTtlSeconds: 60 });
  await page.goto("/account");
  const requests = countRequests(page);
  await page.getByRole("button", { name: "Delete account" }).click();
  const confirmDelete = page.getByRole("dialog", { name: "Delete account?" });
  await expect(confirmDelete).toBeVisible();
  await expectAccessible(page, "dialog[open]");
  await confirmDelete.getByRole("button", { name: "Delete permanently" }).click();

  const relogin = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(relogin).toBeVisible();
  await relogin.getByLabel("Password").fill("not my password");
  await relogin.getByRole("button", { name: "Confirm" }).click();
  await expect(relogin.getByRole("alert")).toContainText("password is not right");
  await expect(relogin).toBeVisible();
  expect(userExists(user.id)).toBe(true);
  await relogin.getByLabel("Password").fill(user.password);
  await relogin.getByRole("button", { name: "Confirm" }).click();

  await expect(page).toHaveURL("/login?status=deleted");
  await expect(page.getByRole("status")).toContainText("deleted");
  expect(requests.count("POST /api/auth/fresh-login")).toBe(2);
  expect(requests.count("DELETE /api/account")).toBe(2);
  expect(userExists(user.id)).toBe(false);
});
