import { expect, seedEvents, test } from "./fixtures";

test("a sign-in shows in Security activity as this device", async ({ page, user }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL("/");
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Security activity" });
  await expect(section.getByRole("heading", { name: "Security activity" })).toBeVisible();
  const events = section.getByRole("list", { name: "Security activity" }).getByRole("listitem");
  await expect(events).toHaveCount(1);
  await expect(events.first()).toContainText("Signed in with your password");
  await expect(events.first()).toContainText("this device");
  // Nothing to sign out: the only session is this one.
  await expect(section.getByRole("button", { name: "Sign out that session" })).toHaveCount(0);
});

test("another device's sign-in can be signed out from the activity list, by keyboard", async ({ browser, user, kit }) => {
  const mine = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const theirs = await browser.newContext();
  try {
    await kit.signIn(mine, user);
    await kit.signIn(theirs, user);
    const other = await theirs.newPage();
    await other.goto("/");
    await expect(other.getByText(user.email).first()).toBeVisible();

    const page = await mine.newPage();
    await page.goto("/account");
    const section = page.getByRole("region", { name: "Security activity" });
    const events = section.getByRole("list", { name: "Security activity" }).getByRole("listitem");
    await expect(events).toHaveCount(2);
    const theirEvent = events.filter({ hasNotText: "this device" });
    await expect(theirEvent).toContainText("Signed in with your password");
    const signOut = theirEvent.getByRole("button", { name: "Sign out that session" });
    // The button is described by its event's sentence, so a screen reader says which session.
    await expect(signOut).toHaveAccessibleDescription(/Signed in with your password/);
    await signOut.focus();
    await page.keyboard.press("Enter");

    await expect(section.getByRole("button", { name: "Sign out that session" })).toHaveCount(0);
    await expect(events.first()).toContainText("Signed out another session");
    await expect(page.getByRole("list", { name: "Sessions" }).getByRole("listitem")).toHaveCount(1);
    // Fits a 390 px phone: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await other.goto("/");
    await expect(other).toHaveURL("/login?next=%2F");
  } finally {
    await mine.close();
    await theirs.close();
  }
});

test("Show more loads the next 50 events", async ({ page, user, kit }) => {
  const hour = 3600_000;
  seedEvents(user.id, Array.from({ length: 60 }, (_, i) => new Date(Date.now() - (i + 1) * hour)));
  await kit.signIn(page.context(), user);
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Security activity" });
  const events = section.getByRole("list", { name: "Security activity" }).getByRole("listitem");
  await expect(events).toHaveCount(50);
  await section.getByRole("button", { name: "Show more" }).click();
  await expect(events).toHaveCount(61);
  await expect(section.getByText("Showing 61 events.")).toBeAttached();
  await expect(section.getByRole("button", { name: "Show more" })).toHaveCount(0);
  // The keyboard continues from the first older event, not from the top of the page.
  await expect(events.nth(50)).toBeFocused();
});
