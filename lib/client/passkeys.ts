// @simplewebauthn/browser is about two thirds of what passkeys cost the client
// (decision 508): it is loaded on demand, the first time a page starts a
// ceremony, so pages that never touch a passkey never download it. Only types
// are imported statically (erased at build time).
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { PasskeyView } from "../shared/api-types";
import { ApiError, ClientError } from "./errors";
import { api } from "./index";
import { recordSessionEvent } from "./timeline";
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

type WebAuthnBrowser = typeof import("@simplewebauthn/browser");
let library: WebAuthnBrowser | null = null;
// Bumped by cancelPasskeyCeremony: a ceremony still waiting for the library
// when the page is left must not start afterwards.
let generation = 0;

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

/**
 * Loads the library (once), then runs the browser's ceremony. NotAllowedError
 * is what every browser reports for "the user closed the prompt" (and for a
 * timeout, which reads the same to them); AbortError is our own cancellation
 * (a new ceremony replaced the autofill one, or the page was left).
 */
async function ceremony<T>(start: (webauthn: WebAuthnBrowser) => Promise<T>): Promise<T> {
  const started = generation;
  let webauthn: WebAuthnBrowser;
  try {
    webauthn = library ??= await import("@simplewebauthn/browser");
  } catch (error) {
    throw new PasskeyFailedError(error); // the chunk could not be fetched (offline, a new deploy)
  }
  if (started !== generation) throw new PasskeyCancelledError();
  try {
    return await start(webauthn);
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === "NotAllowedError" || name === "AbortError") throw new PasskeyCancelledError();
    throw new PasskeyFailedError(error);
  }
}

/** Adds a passkey to the signed-in account (both calls need a fresh token: the wrapper asks "Confirm it's you" first). */
export async function addPasskey(name?: string): Promise<PasskeyView> {
  const optionsJSON = await api.post<PublicKeyCredentialCreationOptionsJSON>("/api/account/passkeys/options");
  const response = await ceremony((webauthn) => webauthn.startRegistration({ optionsJSON }));
  const { passkey } = await api.post<{ passkey: PasskeyView }>("/api/account/passkeys", name ? { response, name } : { response });
  return passkey;
}

type SignedIn = { user: User; session: SessionInfo };

/**
 * Signs in with a discoverable passkey: no e-mail typed. With `autofill`,
 * the request waits quietly in the Email field's suggestions (conditional
 * mediation) until the user picks a passkey there; a later button press
 * aborts it and starts its own.
 */
export async function signInWithPasskey(options: { autofill?: boolean } = {}): Promise<SignedIn> {
  const optionsJSON = await api.post<PublicKeyCredentialRequestOptionsJSON>("/api/auth/passkey/options", undefined, { auth: "public" });
  const response = await ceremony((webauthn) => webauthn.startAuthentication({ optionsJSON, useBrowserAutofill: options.autofill }));
  const result = await api.post<SignedIn>("/api/auth/passkey/login", { response }, { auth: "public" }).catch((error: unknown) => {
    throw error instanceof ApiError && error.code === "invalid_credentials" ? new PasskeyRejectedError() : error;
  });
  recordSessionEvent({ kind: "signed-in", at: new Date().toISOString(), session: result.session });
  return result;
}

/** Leaving the page: a pending autofill request must not outlive it. */
export function cancelPasskeyCeremony(): void {
  generation++;
  library?.WebAuthnAbortService.cancelCeremony();
}

/** "Confirm it's you" with one of this account's passkeys: the SAME session becomes fresh. */
export async function confirmWithPasskey(): Promise<SessionInfo> {
  const optionsJSON = await api.post<PublicKeyCredentialRequestOptionsJSON>("/api/auth/fresh-login/options", undefined, { reauth: false });
  const passkey = await ceremony((webauthn) => webauthn.startAuthentication({ optionsJSON }));
  return api.freshLogin({ passkey });
}
