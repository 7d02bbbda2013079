// Account recovery and verified e-mail, in a real Chromium, following links
// from real mail that the app sent to a real SMTP server (e2e/global-setup.ts).
import { expectAccessible } from "./axe";
import { expect, test } from "./fixtures";
import { linkIn, mailCount, mailTo } from "./mail";

const NEW_PASSWORD = "a brand new passphrase";

test("forgot password → the link from the mail → a new password → signed in here, signed out elsewhere", async ({ page, browser, user, kit }) => {
  const elsewhere = await browser.newContext();
  await kit.signIn(elsewhere, user);
  expect((await elsewhere.request.get("/api/me")).status()).toBe(200);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL("/forgot-password");
  await expectAccessible(page);
  const since = mailCount();
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists");

  const mail = await mailTo(user.email, "Reset your Fresh Auth password", since);
  const link = linkIn(mail);
  await page.goto(link.url);
  // The token leaves the address bar (and the history) as soon as the page reads it.
  await expect(page).toHaveURL("/reset-password");
  expect(await page.evaluate(() => window.location.hash)).toBe("");
  await expectAccessible(page);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();

  await expect(page).toHaveURL("/");
  await expect(page.getByText(user.email).first()).toBeVisible();
  await expect(page.getByTestId("fresh-badge")).toHaveText("Fresh");
  expect((await elsewhere.request.get("/api/me")).status()).toBe(401);
  await mailTo(user.email, "Password reset", since);
  await elsewhere.close();

  // The link was single-use: opening it again says so, calmly.
  await page.goto(link.url);
  await page.getByLabel("New password").fill("yet another passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "expired or was already used" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
});

test("change e-mail: the status names the new address, the old one stays until the mailed link is used", async ({ page, user, cleanup, kit }) => {
  const newEmail = `e2e-new-${Date.now()}@example.com`;
  cleanup.push(newEmail);
  // Not fresh: the change asks "Confirm it's you" every time, as a real one would.
  await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto("/account");
  const since = mailCount();
  await page.getByLabel("New email").fill(newEmail);
  await page.getByRole("button", { name: "Change email" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  const status = page.getByRole("status").filter({ hasText: "Check" });
  await expect(status).toContainText(newEmail);
  await expect(page.getByTestId("current-email")).toHaveText(user.email);
  await page.reload();
  await expect(page.getByTestId("current-email")).toHaveText(user.email);
  await expect(page.getByRole("status").filter({ hasText: "Check" })).toContainText(newEmail);

  const notice = await mailTo(user.email, "Your Fresh Auth email is about to change", since);
  expect(notice.text).toContain("If this wasn't you, reset your password");
  const link = linkIn(await mailTo(newEmail, "Confirm your new email for Fresh Auth", since));
  await page.goto(link.url);
  await expect(page.getByRole("status").filter({ hasText: "confirmed" })).toContainText(newEmail);
  await expect(page).toHaveURL("/verify-email");
  await expectAccessible(page);

  await page.goto("/account");
  await expect(page.getByTestId("current-email")).toHaveText(newEmail);
  await expect(page.getByRole("status").filter({ hasText: "Check" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Resend verification email" })).toHaveCount(0);
});

test("an unverified address: a banner on / and /account, Resend verification email, the link clears it", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  await page.goto("/account");
  await expect(page.getByRole("button", { name: "Resend verification email" })).toBeVisible();
  await page.goto("/");
  const since = mailCount();
  await page.getByRole("button", { name: "Resend verification email" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sent" })).toContainText(user.email);
  const link = linkIn(await mailTo(user.email, "Confirm your email for Fresh Auth", since));
  await page.goto(link.url);
  await expect(page.getByRole("status").filter({ hasText: "confirmed" })).toContainText(user.email);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Resend verification email" })).toHaveCount(0);
});
