import type { Page } from "@playwright/test";
import { countRequests, expect, test } from "./fixtures";
import { addVirtualAuthenticator, LOCALHOST_BASE } from "./webauthn";

// WebAuthn needs a domain as RP ID: the same server, addressed as localhost
// (the kit's cookies and passkeys follow the test's baseURL).
test.use({ baseURL: LOCALHOST_BASE });

async function addPasskeyThroughPage(page: Page, confirmWithPassword: string) {
  const section = page.getByRole("region", { name: "Passkeys" });
  await section.getByRole("button", { name: "Add a passkey" }).click();
  // Not fresh: the same dialog asks first (no passkey yet, so the password), then the addition goes on.
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog.getByRole("button", { name: "Use a passkey" })).toHaveCount(0);
  await dialog.getByLabel("Password").fill(confirmWithPassword);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByRole("status")).toContainText("Passkey added");
  return section;
}

test("rename, then remove a passkey: not fresh any more, so the dialog confirms with the passkey and the removal goes on", async ({ page, user, kit }) => {
  // Added through the page (the other tests get theirs from the kit), on a session that is not fresh.
  await addVirtualAuthenticator(page);
  const session = await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto("/account");
  const section = await addPasskeyThroughPage(page, user.password);
  const row = section.getByRole("listitem").first();
  await row.getByRole("button", { name: "Rename" }).click();
  await expect(row.getByLabel("Passkey name")).toBeFocused();
  await row.getByLabel("Passkey name").fill("Work laptop");
  await row.getByLabel("Passkey name").press("Enter");
  await expect(section.getByRole("listitem", { name: "Work laptop" })).toBeVisible();
  await expect(section.getByRole("listitem", { name: "Work laptop" }).getByRole("button", { name: "Rename" })).toBeFocused();

  // Confirmed a minute ago, not fresh any more (as after a renewal).
  await kit.setAccessState(page.context(), session, "not_fresh");
  const requests = countRequests(page);
  await section.getByRole("listitem", { name: "Work laptop" }).getByRole("button", { name: "Remove" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.getByRole("button", { name: "Use a passkey" }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByRole("status")).toContainText("Removed “Work laptop”");
  await expect(section.getByRole("listitem")).toHaveCount(0);
  await expect(section).toContainText("No passkeys yet.");
  expect(requests.seen.filter((r) => r.startsWith("DELETE /api/account/passkeys/"))).toHaveLength(2); // refused, then replayed
  expect(requests.count("POST /api/auth/fresh-login")).toBe(1);
});

test("a closed passkey prompt keeps the dialog open with a calm message; the password still works; Escape cancels", async ({ page, user, kit }) => {
  const { authenticator } = await kit.addPasskey(page, user);
  await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto("/account");
  await authenticator.setUserVerified(false); // the prompt fails as if closed
  await page.getByLabel("New email").fill(`e2e-moved-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Change email" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.getByRole("button", { name: "Use a passkey" }).click();
  await expect(dialog.getByRole("status")).toContainText("passkey prompt was closed");
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await expect(dialog).toBeVisible();

  // Show/hide the password, then Escape: the request is cancelled, calmly, focus back.
  await dialog.getByLabel("Password").fill("typed, then shown");
  const toggle = dialog.getByRole("button", { name: "Show" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(dialog.getByLabel("Password")).toHaveAttribute("type", "text");
  await toggle.click();
  await expect(dialog.getByLabel("Password")).toHaveAttribute("type", "password");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Change email" })).toBeFocused();
});

test("the dialog at 390 px: everything inside the viewport, nothing scrolls sideways", async ({ page, user, kit }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await kit.addPasskey(page, user);
  await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto("/account");
  await page.getByRole("button", { name: "Delete account" }).click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog.getByRole("button", { name: "Use a passkey" })).toBeFocused();
  for (const control of [dialog.getByRole("button", { name: "Use a passkey" }), dialog.getByLabel("Password"), dialog.getByRole("button", { name: "Confirm" }), dialog.getByRole("button", { name: "Cancel" })]) {
    const box = (await control.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.height, "a finger-sized target").toBeGreaterThanOrEqual(32);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/passkeys-dialog-390.png" });
  await page.goto("/account");
  await page.getByRole("region", { name: "Passkeys" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/passkeys-account-390.png", fullPage: true });
});

test("the Email field's autofill offers the passkey: picking it signs in, no button pressed (conditional mediation)", async ({ page, user, kit }) => {
  await kit.addPasskey(page, user);
  await kit.signIn(page.context(), user);
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out" }).first().click();
  // The virtual authenticator picks the passkey from the autofill request by itself.
  await expect(page).toHaveURL("/", { timeout: 20_000 });
  await expect(page.getByText(user.email).first()).toBeVisible();
  expect((await (await page.request.get("/api/me")).json()).session.methods).toEqual(["passkey"]);
});
