// Passkeys in the e2e specs: Chromium's virtual authenticator (shared with the
// auth kit, lib/testing/virtual-authenticator.ts) and the localhost address.
import type { Page } from "@playwright/test";

export { addVirtualAuthenticator, type VirtualAuthenticator } from "../lib/testing/virtual-authenticator";

/** WebAuthn needs a domain as RP ID (an IP cannot be one): the same server, addressed as localhost. */
export const LOCALHOST_BASE = `http://localhost:${process.env.E2E_PORT}`;

/**
 * Chromium's virtual authenticator answers a conditional (autofill) request by
 * itself, as if the user had picked the passkey at once. A test of the button
 * path emulates a browser without conditional mediation, so the quiet request
 * never races the click.
 */
export async function withoutPasskeyAutofill(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (typeof PublicKeyCredential !== "undefined") {
      Object.defineProperty(PublicKeyCredential, "isConditionalMediationAvailable", { value: async () => false, configurable: true });
    }
  });
}
