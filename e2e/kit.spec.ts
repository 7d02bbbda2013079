// The testing kit (lib/testing) itself: every state it promises, checked
// against the real server and a real browser, and its refusal to run against
// a server with another secret.
import { AuthKit } from "../lib/testing/kit";
import { expect, test } from "../lib/testing/fixtures";
import { countRequests } from "./fixtures";
import { LOCALHOST_BASE, withoutPasskeyAutofill } from "./webauthn";

test("fresh: signed in at once, no form, badge Fresh", async ({ page, kit }) => {
  const user = await kit.createUser({ name: "Kit Fresh" });
  await kit.signIn(page.context(), user);
  await page.goto("/");
  await expect(page.getByText(user.email).first()).toBeVisible();
  await expect(page.getByTestId("fresh-badge")).toHaveText("Fresh");
});

test("not_fresh: a sensitive action asks to confirm it's you", async ({ page, kit }) => {
  const user = await kit.createUser();
  await kit.signIn(page.context(), user, { state: "not_fresh" });
  await page.goto("/account");
  await page.getByRole("button", { name: "Delete account" }).click();
  await page.getByRole("dialog", { name: "Delete account?" }).getByRole("button", { name: "Delete permanently" }).click();
  await expect(page.getByRole("dialog", { name: "Confirm it's you" })).toBeVisible();
});

test("freshness_ended: the token says fresh, but its proof is past the window", async ({ page, kit }) => {
  const user = await kit.createUser();
  await kit.signIn(page.context(), user, { state: "freshness_ended" });
  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(200);
  const { session } = await me.json();
  expect(session.fresh).toBe(false);
  expect(Date.now() - Date.parse(session.authTime)).toBeGreaterThan(600_000);
});

test("access_expired: the first API call renews once, silently", async ({ page, kit }) => {
  const user = await kit.createUser();
  await kit.signIn(page.context(), user, { state: "access_expired" });
  const expired = await page.request.get("/api/me");
  expect((await expired.json()).error).toBe("token_expired");
  const requests = countRequests(page);
  await page.goto("/account");
  await expect(page.getByText(user.email).first()).toBeVisible();
  await expect(page).toHaveURL(/\/account$/);
  requests.stop();
  expect(requests.count("POST /api/auth/refresh") + requests.seen.filter((r) => r.startsWith("GET /api/auth/resume")).length).toBeLessThanOrEqual(1);
});

test("methods: the session says how presence was proved", async ({ page, kit }) => {
  const user = await kit.createUser();
  await kit.signIn(page.context(), user, { methods: ["password", "totp"] });
  const { session } = await (await page.request.get("/api/me")).json();
  expect(session.methods).toEqual(["password", "totp"]);
});

test("revoked elsewhere: the next page load goes to /login", async ({ page, kit }) => {
  const user = await kit.createUser();
  const session = await kit.signIn(page.context(), user);
  await kit.revokeSession(session);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
});

test("stolen refresh token: the browser's next refresh is reuse and ends the session for everyone", async ({ page, kit }) => {
  const user = await kit.createUser();
  const session = await kit.signIn(page.context(), user, { state: "access_expired" });
  await kit.stealRefreshToken(session);
  const refresh = await page.request.post("/api/auth/refresh", { headers: { "x-csrf-token": (await page.context().cookies()).find((c) => c.name === "csrf_token")!.value } });
  expect(refresh.status()).toBe(401);
  expect((await refresh.json()).error).toBe("token_revoked");
  expect((await kit.sessionRow(session))?.revokedReason).toBe("refresh_token_reuse");
});

test.describe("with a passkey", () => {
  // WebAuthn needs a domain as RP ID: the same server, addressed as localhost.
  test.use({ baseURL: LOCALHOST_BASE });

  test("signs in through the real 'Sign in with a passkey' button, no password", async ({ page, kit }) => {
    const user = await kit.createUser();
    const passkey = await kit.addPasskey(page, user);
    await withoutPasskeyAutofill(page); // the button path
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page).toHaveURL("/");
    await expect(page.getByText(user.email).first()).toBeVisible();
    expect((await (await page.request.get("/api/me")).json()).session.methods).toEqual(["passkey"]);
    // A real row: the account page lists it, and the authenticator signed once.
    await page.goto("/account");
    await expect(page.getByRole("region", { name: "Passkeys" }).getByRole("listitem", { name: passkey.name })).toBeVisible();
    expect((await passkey.authenticator.credentials())[0].signCount).toBe(1);
  });

  test("confirms it's you with 'Use a passkey' in the real dialog", async ({ page, kit }) => {
    const user = await kit.createUser();
    await kit.addPasskey(page, user);
    await kit.signIn(page.context(), user, { state: "not_fresh" });
    await page.goto("/account");
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.getByRole("button", { name: "Delete permanently" }).click();
    await page.getByRole("dialog", { name: "Confirm it's you" }).getByRole("button", { name: "Use a passkey" }).click();
    await expect(page).toHaveURL("/login?status=deleted");
  });

  test("refuses an IP address as the passkey's RP ID", async ({ page, kit }, testInfo) => {
    const user = await kit.createUser();
    await expect(kit.at(testInfo.project.use.baseURL!).addPasskey(page, user)).rejects.toThrow(/needs a domain as RP ID/);
  });
});

test("TOTP: a password sign-in asks for the code, and the kit's generator gives it", async ({ page, kit }) => {
  const user = await kit.createUser();
  const totp = await kit.enableTotp(user);
  expect(totp.recoveryCodes).toHaveLength(10);
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Authenticator code").fill(await totp.code());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/");
  expect((await (await page.request.get("/api/me")).json()).session.methods).toEqual(["password", "totp"]);
  // A recovery code works once, as issued by the app.
  const api = page.context().request;
  expect((await api.post("/api/auth/login", { data: { email: user.email, password: user.password } })).status()).toBe(401);
  const recovered = await api.post("/api/auth/login/second-factor", { data: { recoveryCode: totp.recoveryCodes[0] } });
  expect(recovered.status(), await recovered.text()).toBe(200);
});

test("TOTP: confirms it's you with an authenticator code in the real dialog", async ({ page, kit }) => {
  const user = await kit.createUser();
  const totp = await kit.enableTotp(user);
  await kit.signIn(page.context(), user, { state: "not_fresh", methods: ["password", "totp"] });
  await page.goto("/account");
  await page.getByRole("button", { name: "Delete account" }).click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.getByLabel("Authenticator code").fill(await totp.code());
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL("/login?status=deleted");
});

test("refuses a server whose secret it does not have", async ({ authKitServerEnv }, testInfo) => {
  const stranger = new AuthKit({
    baseURL: testInfo.project.use.baseURL!,
    serverEnv: { ...authKitServerEnv, AUTH_SECRET: "not-the-servers-secret-0123456789abcdefghijkl" },
  });
  try {
    await expect(stranger.assertSameSecret()).rejects.toThrow(/does not use the kit's AUTH_SECRET/);
    await expect(stranger.createUser()).rejects.toThrow(/refusing to run/);
  } finally {
    stranger.stop();
  }
});
