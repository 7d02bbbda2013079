// Server Actions under the same guard as the API (lib/auth/action.ts) and the
// client hook that acts on their auth outcomes (lib/client/use-auth-action.ts).
import type { Request as PlaywrightRequest } from "@playwright/test";
import { countRequests, expect, readsSettled, test } from "./fixtures";

const isAction = (request: PlaywrightRequest) => request.method() === "POST" && request.headers()["next-action"] !== undefined;

test("profile: an expired token behind the page's back is renewed once and the action called again", async ({ page, kit }) => {
  const user = await kit.createUser({ name: "Before" });
  const session = await kit.signIn(page.context(), user, { accessTtlSeconds: 60 }); // expires when the test says
  await page.goto("/account");
  await expect(page.getByLabel("Name")).toHaveValue("Before");
  // The page's own reads after hydration (sessions, activity) are done: one
  // still to come would meet the expired token first and renew it, and the
  // action would never see token_expired.
  await readsSettled(page);
  // The page believes its token is good for minutes; the server will say token_expired.
  await kit.setAccessState(page.context(), session, "access_expired");
  const requests = countRequests(page);
  const actions: string[] = [];
  page.on("request", (request) => isAction(request) && actions.push(request.url()));

  await page.getByLabel("Name").fill("After");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Name saved.")).toBeVisible();
  expect(actions).toHaveLength(2);
  expect(requests.count("POST /api/auth/refresh")).toBe(1);
  const { user: saved } = await (await page.request.get("/api/me")).json();
  expect(saved.name).toBe("After");
});

test("an action is a public endpoint: called directly without a session, or after revocation, it refuses", async ({ page, kit, playwright }) => {
  const user = await kit.createUser({ name: "Owner" });
  const session = await kit.signIn(page.context(), user);
  await page.goto("/account");
  const sent = page.waitForRequest(isAction);
  await page.getByLabel("Name").fill("Mine");
  await page.getByRole("button", { name: "Save" }).click();
  const original = await sent;
  await expect(page.getByText("Name saved.")).toBeVisible();

  // Replay the same action id and arguments from outside the browser: no cookies.
  const headers = { "next-action": original.headers()["next-action"], "content-type": original.headers()["content-type"], accept: "text/x-component", origin: new URL(original.url()).origin };
  const stranger = await playwright.request.newContext();
  try {
    const replay = await stranger.post(original.url(), { headers, data: original.postData() ?? "" });
    expect(await replay.text()).toContain("authorization_required");
  } finally {
    await stranger.dispose();
  }

  // The same browser after its session was ended elsewhere: token_revoked, and off to /login.
  await kit.revokeSession(session);
  await page.getByLabel("Name").fill("Hijacked");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/login/);
  const witness = await page.context().browser()!.newContext();
  try {
    await kit.signIn(witness, user);
    const { user: now } = await (await witness.request.get("/api/me")).json();
    expect(now.name).toBe("Mine");
  } finally {
    await witness.close();
  }
});

// The changeEmail action's FormData field, as sent (first call, then each call again).
const emailSent = (request: PlaywrightRequest) => /name="\w*email"\r\n\r\n([^\r]*)/.exec(request.postData() ?? "")?.[1];

test("e-mail: not fresh, so 'Confirm it's you', then the action is called again with the same FormData and the change waits for its link", async ({ page, kit }) => {
  const user = await kit.createUser();
  // A not-fresh token good for a minute: no renewal in the way on a slow machine.
  await kit.setAccessState(page.context(), await kit.signIn(page.context(), user), "not_fresh");
  await page.goto("/account");
  const requests = countRequests(page);
  const sent: (string | undefined)[] = [];
  page.on("request", (request) => isAction(request) && sent.push(emailSent(request)));
  const newEmail = `moved-${Date.now()}@example.com`;

  await page.getByLabel("New email").fill(newEmail);
  await page.getByRole("button", { name: "Change email" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await expect(page.getByLabel("New email")).toHaveValue(newEmail);
  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Check ${newEmail}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Change email" })).toBeFocused();
  await expect(page.getByLabel("New email")).toHaveValue("");
  expect(sent).toEqual([newEmail, newEmail]);
  expect(requests.count("POST /api/auth/fresh-login")).toBe(1);
  expect(requests.count("POST /api/auth/refresh")).toBe(0);
  expect(requests.count("PUT /api/account/email")).toBe(0);
  // Pending, not changed: the old address stays until the link is used.
  await expect(page.getByTestId("current-email")).toHaveText(user.email);
  const { user: now } = await (await page.request.get("/api/me")).json();
  expect(now.email).toBe(user.email);
});

test("e-mail: an expired token behind the page's back is renewed once, then confirmed, then the action goes through", async ({ page, kit }) => {
  const user = await kit.createUser();
  const session = await kit.signIn(page.context(), user, { accessTtlSeconds: 60 }); // expires when the test says
  await page.goto("/account");
  await expect(page.getByTestId("current-email")).toHaveText(user.email);
  await readsSettled(page); // as above: the action is the first to meet the expired token
  await kit.setAccessState(page.context(), session, "access_expired");
  const requests = countRequests(page);
  const newEmail = `renewed-${Date.now()}@example.com`;

  await page.getByLabel("New email").fill(newEmail);
  await page.getByRole("button", { name: "Change email" }).click();
  // A renewed token is never fresh: the action asks, and is called a third time.
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Check ${newEmail}` })).toBeVisible();
  expect(requests.count("POST /api/auth/refresh")).toBe(1);
  expect(requests.count("ACTION /account")).toBe(3);
});

test("e-mail before hydration: the form posts to the action and the page comes back with its result", async ({ browser, kit }) => {
  const user = await kit.createUser();
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    // Not fresh first (a token good for a minute): no dialog can open, so the page says why and keeps what was typed.
    const session = await kit.signIn(context, user);
    await kit.setAccessState(context, session, "not_fresh");
    const page = await context.newPage();
    await page.goto("/account");
    const newEmail = `early-${Date.now()}@example.com`;
    await page.getByLabel("New email").fill(newEmail);
    await page.getByRole("button", { name: "Change email" }).click();
    await expect(page.getByRole("region", { name: "Email", exact: true }).getByRole("alert")).toContainText("confirm it's you");
    await expect(page.getByLabel("New email")).toHaveValue(newEmail);

    // Expired: no script can renew it, so the post goes through the page-load hand-off and back, signed in.
    await kit.setAccessState(context, session, "access_expired");
    await page.getByRole("button", { name: "Change email" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("current-email")).toHaveText(user.email);

    // Fresh: the change is requested, and the old address stays until it is confirmed.
    await kit.signIn(context, user);
    await page.goto("/account");
    await page.getByLabel("New email").fill(newEmail);
    await page.getByRole("button", { name: "Change email" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Check ${newEmail}` })).toBeVisible();
    await expect(page.getByTestId("current-email")).toHaveText(user.email);
  } finally {
    await context.close();
  }
});

test("e-mail: the action called directly without a session changes nothing", async ({ page, kit, playwright }) => {
  const user = await kit.createUser();
  // Any first call will do for its id and arguments; a not-fresh one stops at the dialog.
  await kit.setAccessState(page.context(), await kit.signIn(page.context(), user), "not_fresh");
  await page.goto("/account");
  const sent = page.waitForRequest(isAction);
  await page.getByLabel("New email").fill(`mine-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Change email" }).click();
  const original = await sent;
  await expect(page.getByRole("dialog", { name: "Confirm it's you" })).toBeVisible();

  const headers = { "next-action": original.headers()["next-action"], "content-type": original.headers()["content-type"], accept: "text/x-component", origin: new URL(original.url()).origin };
  const stranger = await playwright.request.newContext();
  try {
    const stolen = (original.postData() ?? "").replace(/(name="\w*email"\r\n\r\n)[^\r]*/, "$1thief@example.com");
    const replay = await stranger.post(original.url(), { headers, data: stolen });
    expect(await replay.text()).toContain("authorization_required");
  } finally {
    await stranger.dispose();
  }
  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: "thief@example.com" })).toHaveCount(0);
});
