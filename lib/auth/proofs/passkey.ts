import "server-only";
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { AuthError } from "../../http/errors";
import { beginAttempt, remainingHeaders, type AttemptKeys } from "../rate-limit";
import type { PublicUser } from "../users";
import { credentialDescriptors, findCredential, recordUse } from "./passkey-store";
import { proofOf, type Proof } from "./proof";
import type { RelyingParty } from "./relying-party";
import { consumeChallenge, createChallenge, type ChallengePurpose } from "./webauthn-challenge";

/**
 * Request options, with a new challenge. For a sign-in (`userId` null) the
 * list of credentials stays empty: the browser offers the discoverable
 * passkeys it holds for this RP ID, and nothing here reveals which accounts
 * exist. For a confirmation it lists only this account's passkeys.
 */
export async function assertionOptions(rp: RelyingParty, userId: string | null): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const purpose: ChallengePurpose = userId ? "fresh-login" : "sign-in";
  const { id, challenge } = await createChallenge(purpose, userId);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    challenge: isoBase64URL.toBuffer(challenge),
    allowCredentials: userId ? await credentialDescriptors(userId) : [],
    userVerification: "required",
    timeout: 300_000,
  });
  return { challengeId: id, options };
}

export interface VerifiedAssertion {
  user: PublicUser;
  /** For a sign-in's new session: the user's credential version at the check. */
  credentialVersion: number;
  proof: Proof;
}

/**
 * Checks a passkey assertion: the challenge named by `challengeId` (spent
 * now, whatever the outcome), a credential we know (and, for a confirmation,
 * of that account), signed over this origin and RP ID, with user
 * verification, and a signature counter that moved forward. Every failure is
 * the same `invalid_credentials`: which check failed is no business of a
 * caller who may be an attacker.
 *
 * Phishing resistance comes from the browser, which writes the page's real
 * origin into clientDataJSON and scopes the credential to the RP ID: a
 * look-alike site can neither use the passkey nor forge the origin.
 */
export async function verifyPasskeyAssertion(
  response: AuthenticationResponseJSON,
  challengeId: string | undefined,
  rp: RelyingParty,
  expectedUserId: string | null,
  attemptKeys: AttemptKeys,
): Promise<VerifiedAssertion> {
  // Counted like a password guess: a failed or replayed assertion spends a
  // point of the same limits, and a blocked client is refused before any check.
  const attempt = await beginAttempt(attemptKeys);
  try {
    const verified = await verifyAssertion(response, challengeId, rp, expectedUserId);
    await attempt.succeeded();
    return verified;
  } catch (error) {
    if (!(error instanceof AuthError && error.code === "invalid_credentials")) {
      // Nothing was judged (the database failed): the reserved point goes back.
      await attempt.abandoned().catch(() => {});
      throw error;
    }
    const left = await attempt.failed();
    // A confirmation spends the session's own budget: it may know what is left.
    throw new AuthError("invalid_credentials", attemptKeys.trusted ? remainingHeaders(left) : {});
  }
}

async function verifyAssertion(response: AuthenticationResponseJSON, challengeId: string | undefined, rp: RelyingParty, expectedUserId: string | null): Promise<VerifiedAssertion> {
  const purpose: ChallengePurpose = expectedUserId ? "fresh-login" : "sign-in";
  const challenge = await consumeChallenge(challengeId, purpose, expectedUserId);
  const passkey = await findCredential(response.id);
  if (!passkey || (expectedUserId !== null && passkey.userId !== expectedUserId)) throw new AuthError("invalid_credentials");
  // A discoverable credential names its user; it must be the one we stored.
  const handle = response.response.userHandle;
  if (handle && isoBase64URL.toUTF8String(handle) !== passkey.userId) throw new AuthError("invalid_credentials");
  let info: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    info = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
    });
  } catch {
    // Includes a counter that did not move forward: a cloned authenticator.
    throw new AuthError("invalid_credentials");
  }
  if (!info.verified) throw new AuthError("invalid_credentials");
  await recordUse(passkey, info.authenticationInfo.newCounter, info.authenticationInfo.credentialBackedUp);
  return { user: passkey.user, credentialVersion: passkey.credentialVersion, proof: proofOf(["passkey"]) };
}
