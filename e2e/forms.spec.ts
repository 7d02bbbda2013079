// Every form speaks plainly, marks the field at fault, and keeps one layout.
import type { Locator, Page } from "@playwright/test";
import { expect, PASSWORD, test } from "./fixtures";

/** a sits above b on the page. */
async function above(a: Locator, b: Locator) {
  const [boxA, boxB] = [await a.boundingBox(), await b.boundingBox()];
  expect(boxA && boxB && boxA.y + boxA.height <= boxB.y + 1, "expected the first element above the second").toBe(true);
}

test("empty passwords get plain sentences, never a validator's text; the message sits between the fields and the button", async ({ page, user, kit }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/Too small|expected string/)).toHaveCount(0);
  const alert = page.getByRole("main").getByRole("alert");
  await above(page.getByLabel("Password"), alert);
  await above(alert, page.getByRole("button", { name: "Sign in", exact: true }));

  await kit.signIn(page.context(), user);
  await page.goto("/account");
  const form = page.getByRole("region", { name: "Password" });
  await form.getByLabel("New password").fill("a brand new passphrase");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("Enter your current password.")).toBeVisible();
  await expect(page.getByText(/Too small|expected string/)).toHaveCount(0);
  await above(form.getByLabel("New password"), form.getByRole("alert"));
  await above(form.getByRole("alert"), form.getByRole("button", { name: "Change password" }));
});

test("register: the message sits between the fields and the button, and a taken e-mail links to sign-in", async ({ page, user }) => {
  await page.goto("/register");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  const email = page.getByLabel("Email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await above(page.getByLabel("Password"), page.getByRole("main").getByRole("alert"));
  await above(page.getByRole("main").getByRole("alert"), page.getByRole("button", { name: "Create account" }));
  await page.getByRole("link", { name: "Sign in instead?" }).click();
  await expect(page).toHaveURL("/login");
});

test("an e-mail that is taken marks the field on Account too", async ({ page, user, kit }) => {
  const other = await kit.createUser({ name: "Charles Babbage" });
  // Not fresh, so the same path on a fast or a slow machine: confirm first.
  await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto("/account");
  await page.getByLabel("New email").fill(other.email);
  await page.getByRole("button", { name: "Change email" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel("New email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("region", { name: "Email" }).getByText("That email belongs to another account.")).toBeVisible();
});

test("weak input is refused with clear messages: a password of spaces, a name of spaces, the same password again", async ({ page, user, cleanup, kit }) => {
  const email = `e2e-weak-${Date.now()}@example.com`;
  cleanup.push(email);
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("        ");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("A password of only spaces is too easy to guess.", { exact: false })).toBeVisible();
  // The server holds the same rule for clients that skip the form.
  const direct = await page.request.post("/api/auth/register", { data: { email, password: "        " } });
  expect(direct.status()).toBe(400);
  expect((await direct.json()).fields.password).toContain("only spaces");

  await kit.signIn(page.context(), user);
  await page.goto("/account");
  await page.getByLabel("Name", { exact: true }).fill("   ");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("A name can't be only spaces.", { exact: false })).toBeVisible();
  await expect(page.getByText("Name saved.")).toHaveCount(0);

  const form = page.getByRole("region", { name: "Password" });
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password").fill(PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("Choose a new password, different from your current one.")).toBeVisible();
  await expect(form.getByText("Password changed")).toHaveCount(0);
  // The server holds both rules for clients that skip the form (a new sign-in: the access token is short).
  await kit.signIn(page.context(), user);
  const csrf = (await page.context().cookies()).find((c) => c.name === "csrf_token")?.value ?? "";
  const [blankName, same] = await Promise.all([
    page.request.patch("/api/me", { data: { name: "   " }, headers: { "X-CSRF-Token": csrf } }),
    page.request.put("/api/account/password", { data: { currentPassword: PASSWORD, newPassword: PASSWORD }, headers: { "X-CSRF-Token": csrf } }),
  ]);
  expect([blankName.status(), same.status()]).toEqual([400, 400]);
  expect((await same.json()).fields.newPassword).toBe("Choose a new password, different from your current one.");
});

test("an old notice clears when the user acts again", async ({ page, user, kit }) => {
  await page.goto("/login?status=deleted");
  await expect(page.getByRole("status")).toContainText("deleted");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("do not match");
  await expect(page.getByText("Your account has been deleted", { exact: false })).toHaveCount(0);

  // Fresh for the whole test: a renewal mid-test (4 s tokens, a slow machine)
  // would make the e-mail change ask to confirm instead of judging the address.
  await kit.signIn(page.context(), user, { accessTtlSeconds: 60 });
  await page.goto("/account");
  await page.getByLabel("Name", { exact: true }).fill("Ada King");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Name saved.")).toBeVisible();
  await page.getByLabel("New email").fill("not an address");
  await page.getByRole("button", { name: "Change email" }).click();
  await expect(page.getByRole("region", { name: "Email" }).getByRole("alert")).toBeVisible();
  await expect(page.getByText("Name saved.")).toHaveCount(0);
});

test("\"Sign out other sessions\" is unavailable when no other device is signed in", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  await page.goto("/account");
  await expect(page.getByText("No other device is signed in.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out other sessions" })).toBeDisabled();
});

test("a first visit says in one line what Fresh Auth is", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("main").getByText("Fresh Auth shows access, refresh and fresh tokens at work", { exact: false })).toBeVisible();
});

async function noSidewaysScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

test("long names and e-mails wrap or truncate at 390 and 1280 px, the full value still there", async ({ browser, kit }) => {
  const long = await kit.createUser({ name: `Ada ${"Augusta".repeat(12)} King-Noel Countess of Lovelace` });
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await kit.signIn(context, long);
    for (const path of ["/", "/account"]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await noSidewaysScroll(page);
    }
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Hello, ${long.name}`);
    await context.close();
  }
});

test("Delete: the safe choice comes first on one row at 390 px, and cancelling the password step returns focus to it", async ({ browser, user, kit }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  try {
    await kit.signIn(context, user, { state: "not_fresh" });
    await page.goto("/account");
    await page.getByRole("button", { name: "Delete account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete account?" });
    const keep = dialog.getByRole("button", { name: "Keep my account" });
    const remove = dialog.getByRole("button", { name: "Delete permanently" });
    const [keepBox, removeBox] = [await keep.boundingBox(), await remove.boundingBox()];
    const dialogBox = await dialog.boundingBox();
    expect(keepBox && removeBox && Math.abs(keepBox.y - removeBox.y) < 2 && keepBox.x < removeBox.x).toBe(true);
    expect(dialogBox && removeBox && removeBox.x + removeBox.width <= dialogBox.x + dialogBox.width, "both buttons inside the dialog").toBe(true);
    await remove.click();
    const relogin = page.getByRole("dialog", { name: "Confirm it's you" });
    await relogin.getByRole("button", { name: "Cancel" }).click();
    await expect(relogin).toBeHidden();
    await expect(keep).toBeFocused();
    await remove.click();
    await expect(relogin).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(relogin).toBeHidden();
    await expect(keep).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("button", { name: "Delete account" })).toBeFocused();
  } finally {
    await context.close();
  }
});
