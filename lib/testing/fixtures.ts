// Playwright fixtures for the kit: `kit` in any test, one agent per worker.
//
//   import { test, expect } from "@/lib/testing/fixtures";
//   test("delete asks to confirm", async ({ page, kit }) => {
//     const user = await kit.createUser();
//     await kit.signIn(page.context(), user, { state: "not_fresh" });
//     ...
//   });
//
// Configure in playwright.config.ts: `use: { authKitServerEnv: { DATABASE_URL, AUTH_SECRET, … } }`,
// the same values the webServer gets.
import { test as base } from "@playwright/test";
import { AuthKit } from "./kit";

export { expect } from "@playwright/test";
export { KIT_PASSWORD, type KitPasskey, type KitSession, type KitTotp, type KitUser, type SessionState } from "./kit";

interface WorkerFixtures {
  authKitServerEnv: Record<string, string | undefined>;
  workerKit: AuthKit;
}

export const test = base.extend<{ kit: AuthKit }, WorkerFixtures>({
  authKitServerEnv: [{}, { option: true, scope: "worker" }],
  workerKit: [
    async ({ authKitServerEnv }, use, workerInfo) => {
      // baseURL is a test-scoped option; a worker fixture reads the project's.
      const baseURL = workerInfo.project.use.baseURL;
      if (!baseURL) throw new Error("auth kit: set use.baseURL in playwright.config.ts");
      const kit = new AuthKit({ baseURL, serverEnv: authKitServerEnv });
      await use(kit);
      kit.stop();
    },
    { scope: "worker" },
  ],
  // The test's own baseURL (a spec may address the server as localhost for passkeys).
  kit: async ({ workerKit, baseURL }, use) => {
    const kit = baseURL ? workerKit.at(baseURL) : workerKit;
    await use(kit);
    await kit.cleanup();
  },
});
