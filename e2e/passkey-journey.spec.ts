import { expectAccessible } from "./axe";
import { expect, test } from "@playwright/test";
import { startOwnServer } from "./own-server";
import { addVirtualAuthenticator, withoutPasskeyAutofill } from "./webauthn";
import type { Page } from "@playwright/test";

// Its own server with the default 15-minute access token, so a sign-in stays
// fresh while the journey runs and nothing asks for a password by accident.
let server: Awaited<ReturnType<typeof startOwnServer>>;
test.beforeAll(async () => {
  server = await startOwnServer({ AUTH_RATE_LIMIT_ACCOUNT: "off", AUTH_RATE_LIMIT_ADDRESS: "off" });
});
test.afterAll(() => server?.stop());

/** Collects every sign-in or confirmation request that carried a password. */
function watchPasswords(page: Page) {
  const typed: string[] = [];
  page.on("request", (request) => {
    const body = request.postData() ?? "";
    if (/\/api\/auth\/(fresh-login|login)$/.test(new URL(request.url()).pathname) && body.includes('"password"')) typed.push(request.url());
  });
  return typed;
}

async function addPasskeyThroughPage(page: Page) {
  const section = page.getByRole("region", { name: "Passkeys" });
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByRole("status")).toContainText("Passkey added");
  return section;
}

test("the journey: register, add a passkey, sign out, sign in with it, delete the account confirming with it, no password typed after registering", async ({ page }) => {
  test.slow(); // five steps of a real journey, each a full page load and a ceremony
  const authenticator = await addVirtualAuthenticator(page);
  await withoutPasskeyAutofill(page); // the button path (autofill has its own test)
  const email = `e2e-passkey-${Date.now()}@example.com`;
  await page.goto(`${server.base}/register?next=%2Faccount`);
  await page.getByLabel("Name").fill("Katherine Johnson");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(`${server.base}/account`, { timeout: 30_000 }); // a full load on a busy machine
  const typed = watchPasswords(page);
  // Fresh from registering (this server's access tokens live 15 minutes): no dialog.
  const section = await addPasskeyThroughPage(page);
  await expect(section.getByRole("listitem")).toHaveCount(1);
  await expect(section.getByRole("listitem").first()).toContainText("Passkey 1");
  const [credential] = await authenticator.credentials();
  expect(credential.isResidentCredential, "a discoverable credential").toBe(true);
  await page.screenshot({ path: "test-results/passkeys-account-1280.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "username webauthn");
  await page.screenshot({ path: "test-results/passkeys-login-1280.png" });
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(`${server.base}/`, { timeout: 30_000 });
  await expect(page.getByText(email).first()).toBeVisible();
  const me = await page.request.get(`${server.base}/api/me`);
  expect((await me.json()).session.methods).toEqual(["passkey"]);

  // Renewing the access token drops freshness (as 10 minutes would): deleting now asks first.
  const csrf = (await page.context().cookies(server.base)).find((c) => c.name === "csrf_token")!.value;
  const renewed = await page.request.post(`${server.base}/api/auth/refresh`, { headers: { origin: server.base, "x-csrf-token": csrf } });
  expect(renewed.status()).toBe(200);
  await page.goto(`${server.base}/account`);
  await page.getByRole("button", { name: "Delete account" }).click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(email);
  const usePasskey = dialog.getByRole("button", { name: "Use a passkey" });
  await expect(usePasskey, "the faster way first, and focused").toBeFocused();
  await page.screenshot({ path: "test-results/passkeys-dialog-1280.png" });
  await expectAccessible(page, "dialog[open]");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`${server.base}/login?status=deleted`, { timeout: 30_000 });
  await expect(page.getByRole("status")).toContainText("deleted");
  expect(typed, "no password was sent").toEqual([]);
  // The account is gone, passkey and all: the authenticator's credential signs in to nothing.
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("passkey was not accepted");
  await expect(page).toHaveURL(/\/login/);
});

