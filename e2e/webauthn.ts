// Chromium's virtual authenticator over CDP: a platform authenticator with
// resident keys and user verification that answers at once, so a real
// navigator.credentials.create()/get() runs in the real browser.
import type { CDPSession, Page } from "@playwright/test";

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  credentials(): Promise<{ credentialId: string; isResidentCredential: boolean; signCount: number }[]>;
  /** false: the next ceremonies fail as if the user closed the prompt. */
  setUserVerified(verified: boolean): Promise<void>;
}

export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    cdp,
    authenticatorId,
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
    setUserVerified: async (isUserVerified) => {
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified });
    },
  };
}

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
