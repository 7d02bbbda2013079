// The passkey ceremonies, loaded on demand by passkeys.ts together with
// @simplewebauthn/browser (one chunk, one fetch) the first time a page starts
// one (decisions 508, 509). Pages never import this file directly.
import * as webauthn from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { ApiError } from "./errors";
import { api } from "./index";
import { PasskeyCancelledError, PasskeyFailedError, PasskeyRejectedError, type PasskeyView } from "./passkeys";
import { recordSessionEvent } from "./timeline";
import type { SessionInfo, User } from "./types";

/**
 * Runs the browser's ceremony. NotAllowedError is what every browser reports
 * for "the user closed the prompt" (and for a timeout, which reads the same
 * to them); AbortError is our own cancellation (a new ceremony replaced the
 * autofill one, or the page was left).
 */
async function ceremony<T>(start: (library: typeof webauthn) => Promise<T>): Promise<T> {
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
  const response = await ceremony((library) => library.startRegistration({ optionsJSON }));
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
  const response = await ceremony((library) => library.startAuthentication({ optionsJSON, useBrowserAutofill: options.autofill }));
  const result = await api.post<SignedIn>("/api/auth/passkey/login", { response }, { auth: "public" }).catch((error: unknown) => {
    throw error instanceof ApiError && error.code === "invalid_credentials" ? new PasskeyRejectedError() : error;
  });
  recordSessionEvent({ kind: "signed-in", at: new Date().toISOString(), session: result.session });
  return result;
}

/** Leaving the page: a pending autofill request must not outlive it. */
export function cancelPasskeyCeremony(): void {
  webauthn.WebAuthnAbortService.cancelCeremony();
}

/** "Confirm it's you" with one of this account's passkeys: the SAME session becomes fresh. */
export async function confirmWithPasskey(): Promise<SessionInfo> {
  const optionsJSON = await api.post<PublicKeyCredentialRequestOptionsJSON>("/api/auth/fresh-login/options", undefined, { reauth: false });
  const passkey = await ceremony((library) => library.startAuthentication({ optionsJSON }));
  return api.freshLogin({ passkey });
}
