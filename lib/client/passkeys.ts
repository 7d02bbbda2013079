// What a page needs before any passkey ceremony: the support checks and the
// errors. The ceremonies and @simplewebauthn/browser load on demand, together
// (passkey-ceremonies.ts, decisions 508, 509), the first time a page starts
// one, so a page that only shows a passkey button downloads neither.
import type { PasskeyView } from "../shared/api-types";
import { ClientError } from "./errors";
import type { SessionInfo, User } from "./types";

export type { PasskeyView };

/** The user closed the browser's passkey prompt (or it timed out): their choice, shown calmly. */
export class PasskeyCancelledError extends ClientError {
  constructor() {
    super("passkey_cancelled", "The passkey prompt was closed.");
  }
}

/** The server refused the passkey (unknown, removed, or a failed check): not "e-mail and password". */
export class PasskeyRejectedError extends ClientError {
  constructor() {
    super("passkey_rejected", "The passkey was not accepted.");
  }
}

/** The browser or authenticator could not make or use a passkey (not a server refusal). */
export class PasskeyFailedError extends ClientError {
  constructor(readonly cause?: unknown) {
    super("passkey_failed", "The passkey could not be used.");
  }
}

type Ceremonies = typeof import("./passkey-ceremonies");
let ceremonies: Ceremonies | null = null;
// Bumped by cancelPasskeyCeremony: a ceremony still waiting for its chunk
// when the page is left must not start afterwards.
let generation = 0;

async function load(): Promise<Ceremonies> {
  const started = generation;
  try {
    ceremonies ??= await import("./passkey-ceremonies");
  } catch (error) {
    throw new PasskeyFailedError(error); // the chunk could not be fetched (offline, a new deploy)
  }
  if (started !== generation) throw new PasskeyCancelledError();
  return ceremonies;
}

/**
 * The same check as the library's browserSupportsWebAuthn, without loading
 * it: a page decides whether to show a passkey button before any ceremony.
 */
export function supportsPasskeys(): boolean {
  return typeof globalThis.PublicKeyCredential === "function";
}

/** The library's browserSupportsWebAuthnAutofill, likewise without loading it. */
export async function supportsPasskeyAutofill(): Promise<boolean> {
  if (!supportsPasskeys()) return false;
  const check = (globalThis.PublicKeyCredential as { isConditionalMediationAvailable?: () => Promise<boolean> }).isConditionalMediationAvailable;
  return check ? check.call(globalThis.PublicKeyCredential) : false;
}

/** Adds a passkey to the signed-in account (both calls need a fresh token: the wrapper asks "Confirm it's you" first). */
export async function addPasskey(name?: string): Promise<PasskeyView> {
  return (await load()).addPasskey(name);
}

/**
 * Signs in with a discoverable passkey: no e-mail typed. With `autofill`,
 * the request waits quietly in the Email field's suggestions (conditional
 * mediation) until the user picks a passkey there; a later button press
 * aborts it and starts its own.
 */
export async function signInWithPasskey(options: { autofill?: boolean } = {}): Promise<{ user: User; session: SessionInfo }> {
  return (await load()).signInWithPasskey(options);
}

/** "Confirm it's you" with one of this account's passkeys: the SAME session becomes fresh. */
export async function confirmWithPasskey(): Promise<SessionInfo> {
  return (await load()).confirmWithPasskey();
}

/** Leaving the page: a pending autofill request must not outlive it. */
export function cancelPasskeyCeremony(): void {
  generation++;
  ceremonies?.cancelPasskeyCeremony();
}
