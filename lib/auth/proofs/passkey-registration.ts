import "server-only";
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { AuthError } from "../../http/errors";
import { addPasskey, countPasskeys, type EventSource, credentialDescriptors, type PasskeyView } from "./passkey-store";
import type { RelyingParty } from "./relying-party";
import { consumeChallenge, createChallenge, registrationChallengeId } from "./webauthn-challenge";

interface Account {
  id: string;
  email: string;
  name: string;
}

/**
 * Creation options for a new passkey of a signed-in (fresh) user. A resident
 * key is required, so the passkey can sign in with no e-mail typed; user
 * verification is required, so the passkey proves possession AND the user
 * (PIN or biometrics), which is what lets it stand in for a password and
 * count as multi-factor. The user handle is the user id (no personal data).
 */
export async function registrationOptions(user: Account, sessionId: string, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { challenge } = await createChallenge("registration", user.id, registrationChallengeId(sessionId));
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name || user.email,
    userID: isoBase64URL.toBuffer(isoBase64URL.fromUTF8String(user.id)),
    challenge: isoBase64URL.toBuffer(challenge),
    attestationType: "none",
    // The authenticator refuses to make a second credential for this account.
    excludeCredentials: await credentialDescriptors(user.id),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
    timeout: 300_000,
  });
}

const refused = (why: string) => new AuthError("invalid_request", { fields: { response: why } });

/**
 * Verifies the browser's answer against this session's pending challenge,
 * this site's origin and RP ID, with user verification, then stores the
 * passkey. The challenge is spent whether or not verification passes.
 */
export async function registerPasskey(user: Account, sessionId: string, response: RegistrationResponseJSON, name: string | undefined, rp: RelyingParty, by?: EventSource): Promise<PasskeyView> {
  let challenge: string;
  try {
    challenge = await consumeChallenge(registrationChallengeId(sessionId), "registration", user.id);
  } catch {
    throw refused("This request has expired. Add the passkey again.");
  }
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    // The library's message says which check failed; the client only needs to know it did.
    throw refused("The passkey could not be verified. Try again.");
  }
  if (!verification.verified) throw refused("The passkey could not be verified. Try again.");
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  return addPasskey(user.id, {
    credentialId: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ?? response.response.transports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    name: name || `Passkey ${(await countPasskeys(user.id)) + 1}`,
  }, { ...by, sessionId });
}
