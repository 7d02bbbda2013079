// Server Actions under the same guard as the API (lib/auth/action.ts) and the
// client hook that acts on their auth outcomes (lib/client/use-auth-action.ts).
import type { Request as PlaywrightRequest } from "@playwright/test";
import { expect, test } from "../lib/testing/fixtures";
import { countRequests } from "./fixtures";

const isAction = (request: PlaywrightRequest) => request.method() === "POST" && request.headers()["next-action"] !== undefined;

test("profile: an expired token behind the page's back is renewed once and the action called again", async ({ page, kit }) => {
  const user = await kit.createUser({ name: "Before" });
  const session = await kit.signIn(page.context(), user);
  await page.goto("/account");
  await expect(page.getByLabel("Name")).toHaveValue("Before");
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
