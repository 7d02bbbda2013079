// Issue 10, item 8: "Sign out" must never say it worked when it did not. Any
// answer other than 2xx means the session may still be active; the page says
// so and offers Try again, and nobody is sent to a "You have signed out" page.
import { expect, test } from "./fixtures";

const cookieNames = async (page: import("@playwright/test").Page) => (await page.context().cookies()).map((c) => c.name).sort();

test("logout refused by the server (403, a CSRF value that is not this session's): says the session may still be active", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  await page.goto("/");
  // A planted value the real server refuses: no stub, the real 403.
  await page.evaluate(() => (document.cookie = "csrf_token=planted; path=/"));
  const answered = page.waitForResponse("**/api/auth/logout");
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  expect((await answered).status()).toBe(403);
  await expect(page.getByRole("banner").getByRole("alert")).toContainText("may still be active");
  await expect(page).toHaveURL("/");
  expect(await cookieNames(page)).toEqual(["access_token", "csrf_token", "refresh_token"]);
  // Still signed in: reloading shows the signed-in page.
  await page.reload();
  await expect(page.getByText(user.email).first()).toBeVisible();
});

test("logout answering 503 (database down): no 'signed out' page; Try again signs out once the server is back", async ({ page, user, kit }) => {
  await kit.signIn(page.context(), user);
  await page.goto("/");
  // The outage is simulated at the network: the e2e server's database is shared by every test.
  await page.route("**/api/auth/logout", (route) =>
    route.fulfill({
      status: 503,
      headers: { "content-type": "application/json", "retry-after": "5" },
      body: JSON.stringify({ error: "service_unavailable", description: "The database is unreachable." }),
    }),
  );
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  const alert = page.getByRole("banner").getByRole("alert");
  await expect(alert).toContainText("Sign-out did not complete");
  await expect(alert).toContainText("may still be active");
  await expect(page).toHaveURL("/");
  await expect(page.getByText("You have signed out")).toHaveCount(0);

  await page.unroute("**/api/auth/logout");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page).toHaveURL("/login?status=signed-out");
  await expect(page.getByRole("status")).toContainText("signed out");
  // No session cookie is left. (The login page may already have asked for a
  // passkey autofill challenge: webauthn_challenge, no session, comes and goes
  // with it.)
  expect((await cookieNames(page)).filter((name) => name !== "webauthn_challenge")).toEqual([]);
});
