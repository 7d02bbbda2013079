import { expect, test } from "@playwright/test";
import { AuthKit } from "../lib/testing/kit";
import { startOwnServer } from "./own-server";
import { ACCESS_TTL_SECONDS } from "./timing";

// Three failures per 8 seconds: the third wrong password blocks the session's
// budget for the window, so the countdown can be watched to its end.
// The kit is this server's own (its secret and database), for the state.
let server: Awaited<ReturnType<typeof startOwnServer>>;
let kit: AuthKit;
test.beforeAll(async () => {
  server = await startOwnServer({ AUTH_RATE_LIMIT_ACCOUNT: "3/8s", AUTH_RATE_LIMIT_ADDRESS: "50/8s", AUTH_ACCESS_TTL: `${ACCESS_TTL_SECONDS}s` });
  kit = new AuthKit({ baseURL: server.base, serverEnv: server.env });
});
test.afterAll(async () => {
  kit?.stop();
  await server?.stop();
});

test("rate limited in the dialog: Confirm disabled with a live countdown from Retry-After, then the right password works", async ({ page }) => {
  const password = "correct horse battery staple";
  const user = await kit.createUser({ name: "Ada", password });
  // Not fresh: the change asks to confirm it's you.
  await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto(`${server.base}/account`);

  await page.getByLabel("New email").fill(`moved-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Change email" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  const field = dialog.getByLabel("Password");
  const confirm = dialog.getByRole("button", { name: "Confirm" });
  // The server says how many failures are left: the dialog warns before the last ones.
  const warnings = ["Two more attempts", "One more attempt", "paused"];
  for (let i = 0; i < 3; i++) {
    await field.fill(`wrong password ${i}`);
    await field.press("Enter");
    await expect(dialog.getByRole("alert")).toContainText("password is not right");
    await expect(dialog.getByRole("alert")).toContainText(warnings[i]);
  }
  await field.fill(password);
  await field.press("Enter");
  await expect(dialog.getByRole("alert")).toContainText("Too many attempts");
  await expect(confirm).toBeDisabled();
  const countdown = dialog.locator(".countdown time");
  const first = await countdown.textContent();
  expect(first).toMatch(/^0:0[1-8]$/);
  await page.screenshot({ path: "test-results/reauth-rate-limited-1280.png" });
  await expect(countdown).not.toHaveText(first!, { timeout: 3_000 }); // live: it ticks down
  // Pressing a disabled Confirm sends nothing.
  let sent = 0;
  page.on("request", (request) => void (request.url().endsWith("/api/auth/fresh-login") && sent++));
  await confirm.click({ force: true });
  expect(sent).toBe(0);

  await expect(dialog.getByRole("status")).toContainText("You can try again now", { timeout: 12_000 });
  await expect(confirm).toBeEnabled();
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "moved-" })).toBeVisible();
});
