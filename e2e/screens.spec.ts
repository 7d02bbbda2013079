// Screenshots of every screen this pass changed, at desktop and phone widths,
// into test-results/screens/ (ignored by git) for a person to look at.
import { countFetchesIn, expect, readsSettled, test } from "./fixtures";
import { screenshotPath } from "./screens";

for (const width of [1280, 390]) {
  test(`screens at ${width} px`, async ({ browser, kit }) => {
    const user = await kit.createUser({ name: `Ada Augusta King-Noel, Countess of Lovelace ${"and more ".repeat(4)}` });
    const context = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 } });
    await countFetchesIn(context);
    try {
      const page = await context.newPage();
      const shot = (name: string) => page.screenshot({ path: screenshotPath(`${name}-${width}.png`), fullPage: true });
      // As a tab signed out elsewhere arrives (set before the page's scripts run).
      await page.addInitScript(() => sessionStorage.setItem("fresh-auth:signed-out-reason", "other-tab"));
      await page.goto("/login");
      await expect(page.getByRole("status")).toBeVisible();
      await shot("login-reason");
      await page.getByLabel("Email").fill(user.email);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByText("Enter your password.")).toBeVisible();
      await shot("login-error");
      await page.goto("/register");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill("a long enough passphrase");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByRole("link", { name: "Sign in instead?" })).toBeVisible();
      await shot("register-taken");

      const session = await kit.signIn(context, user);
      await page.goto("/");
      await readsSettled(page);
      await kit.expireAccess(page, session); // the next request renews, and the timeline says so
      await page.getByRole("button", { name: "Check status" }).click();
      await expect(page.getByText("Access token renewed silently")).toBeVisible();
      await shot("home-timeline");

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
      await page.getByLabel("Name", { exact: true }).fill("   ");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByLabel("New email").fill(user.email);
      await page.getByRole("button", { name: "Change email" }).click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await shot("account-confirm-dialog");
      await page.keyboard.press("Escape");
      await shot("account-forms");
      await page.getByRole("button", { name: "Delete account" }).click();
      await expect(page.getByRole("dialog", { name: "Delete account?" })).toBeVisible();
      await shot("delete-dialog");
    } finally {
      await context.close();
    }
  });
}
