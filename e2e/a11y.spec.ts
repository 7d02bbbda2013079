import { expectAccessible } from "./axe";
import { test } from "./fixtures";

test("the signed-out pages have no serious accessibility violations", async ({ page }) => {
  for (const path of ["/login", "/register", "/login?status=deleted", "/unavailable?next=%2Faccount", "/forgot-password", "/reset-password", "/verify-email"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
});

test("the signed-in pages have no serious accessibility violations", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  for (const path of ["/", "/account"]) {
    await page.goto(path);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await expectAccessible(page);
  }
});
