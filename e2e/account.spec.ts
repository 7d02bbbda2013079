import { expect, test } from "./fixtures";

test("change password: a wrong current password is explained, the right one works and ends other sessions", async ({ browser, user, kit }) => {
  const mine = await browser.newContext();
  const theirs = await browser.newContext();
  try {
    await kit.signIn(mine, user);
    await kit.signIn(theirs, user);
    const page = await mine.newPage();
    await page.goto("/account");
    const form = page.getByRole("region", { name: "Password" });
    await form.getByLabel("Current password").fill("not my password");
    await form.getByLabel("New password").fill("a brand new passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toContainText("not changed");
    await expect(form.getByText("That is not your current password.")).toBeVisible();

    await form.getByLabel("Current password").fill(user.password);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toContainText("Password changed");
    await expect(page.getByRole("list", { name: "Sessions" }).getByRole("listitem")).toHaveCount(1);

    const other = await theirs.newPage();
    await other.goto("/");
    await expect(other).toHaveURL("/login?next=%2F");
    const relogin = await other.request.post("/api/auth/login", { data: { email: user.email, password: "a brand new passphrase" } });
    expect(relogin.status()).toBe(200);
  } finally {
    await mine.close();
    await theirs.close();
  }
});

test("sign out other sessions, and rename, from the account page", async ({ browser, user, kit }) => {
  const mine = await browser.newContext();
  const theirs = await browser.newContext();
  try {
    await kit.signIn(mine, user);
    await kit.signIn(theirs, user);
    const other = await theirs.newPage();
    await other.goto("/");
    const page = await mine.newPage();
    await page.goto("/account");
    const list = page.getByRole("list", { name: "Sessions" });
    await expect(list.getByRole("listitem")).toHaveCount(2);
    await page.getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(list.getByRole("listitem")).toContainText("This device");

    await page.getByLabel("Name", { exact: true }).fill("Countess of Lovelace");
    await page.getByRole("button", { name: "Save" }).press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();

    await other.getByRole("button", { name: "Check status" }).click();
    await expect(other).toHaveURL("/login?next=%2F");
  } finally {
    await mine.close();
    await theirs.close();
  }
});
