import { readFileSync } from "node:fs";
import { Secret, TOTP } from "otpauth";
import type { Page } from "@playwright/test";
import { expect, test, userExists } from "./fixtures";
import { PAST_EXPIRY_MS } from "./timing";

/**
 * The test is the user's authenticator app: it reads the key shown on the
 * page and computes codes from it. Each step's code is accepted once, so
 * codes walk forward through the current and next 30-second step.
 */
function authenticator(base32: string) {
  let last = -1;
  return async function nextCode(): Promise<string> {
    for (;;) {
      const current = Math.floor(Date.now() / 30_000);
      const step = Math.max(last + 1, current);
      if (step <= current + 1) {
        last = step;
        return TOTP.generate({ secret: Secret.fromBase32(base32), timestamp: step * 30_000 });
      }
      await new Promise((r) => setTimeout(r, (current + 1) * 30_000 - Date.now() + 50));
    }
  };
}

/**
 * The e2e server's access tokens live 4 seconds, so a set-up step often
 * meets a refreshed (not fresh) token and the dialog asks for the password
 * first: confirm it whenever it shows up during set-up, like a user would.
 */
async function confirmPasswordWhenAsked(page: Page, password: string) {
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await page.addLocatorHandler(dialog, async () => {
    await dialog.getByLabel("Password").fill(password);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect(dialog).toBeHidden();
  });
  return () => page.removeLocatorHandler(dialog);
}

test("two-step sign-in: turn it on from the shown key, sign in with a code, with a recovery code, confirm a deletion with a code", async ({ page, user }) => {
  test.setTimeout(120_000);
  // Signed in through the real form (the code step does not exist yet).
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL("/");

  await page.goto("/account");
  const stopConfirming = await confirmPasswordWhenAsked(page, user.password);
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await section.getByRole("button", { name: "Set up authenticator app" }).click();
  await expect(section.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const key = (await section.getByLabel("Setup key").innerText()).replace(/\s/g, "");
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  const nextCode = authenticator(key);

  const now = TOTP.generate({ secret: Secret.fromBase32(key) });
  await section.getByLabel("Authenticator code").fill(String((Number(now) + 500_000) % 1_000_000).padStart(6, "0"));
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByText("That code is not right")).toBeVisible();
  await section.getByLabel("Authenticator code").fill(await nextCode());
  await section.getByRole("button", { name: "Turn on" }).click();
  const codes = section.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allInnerTexts();
  const download = page.waitForEvent("download");
  await section.getByRole("link", { name: "Download recovery codes" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("fresh-auth-recovery-codes.txt");
  const text = readFileSync(await file.path(), "utf8");
  for (const code of recoveryCodes) expect(text).toContain(code.trim());
  await expect(section.getByRole("button", { name: "Turn off" })).toBeVisible();
  await stopConfirming();

  // Sign out, then password + code.
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Authenticator code").fill(await nextCode());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByText(user.email, { exact: false }).first()).toBeVisible();
  const me = await (await page.request.get("/api/me")).json();
  expect(me.session.methods).toEqual(["password", "totp"]);

  // Sign out, then password + a recovery code.
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0].trim().toLowerCase());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/");
  expect((await (await page.request.get("/api/me")).json()).session.methods).toEqual(["password", "recovery_code"]);

  // Later (the token no longer fresh): "Delete permanently" asks to confirm, and a code is enough.
  // A real wait: this journey's session came from the form, not the kit.
  await page.goto("/account");
  await page.waitForTimeout(PAST_EXPIRY_MS);
  await page.getByRole("button", { name: "Delete account" }).click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Authenticator code").fill(await nextCode());
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL("/login?status=deleted");
  await expect(page.getByRole("status")).toContainText("deleted");
  expect(userExists(user.id)).toBe(false);
});

test("turning two-step sign-in off asks for the password AND a code", async ({ page, user, kit }) => {
  // Set up by the kit (the journey above sets it up through the page), then
  // signed in by password only: level multi_factor is not met.
  const totp = await kit.enableTotp(user);
  await kit.signIn(page.context(), user, { methods: ["password"] });
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await section.getByRole("button", { name: "Turn off" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByRole("alert")).toContainText("password and the code");
  await dialog.getByLabel("Authenticator code").fill(await totp.code());
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByRole("status")).toContainText("Two-step sign-in is off");
  await expect(section.getByRole("button", { name: "Set up authenticator app" })).toBeVisible();
});
