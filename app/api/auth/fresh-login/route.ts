import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { checkUserPassword } from "@/lib/auth/credentials";
import { assertCsrfToken } from "@/lib/auth/csrf";
import { loadLiveSession } from "@/lib/auth/guard";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { withChallengeCleared } from "@/lib/auth/proofs/challenge-response";
import { verifyPasskeyAssertion } from "@/lib/auth/proofs/passkey";
import { assertionSchema } from "@/lib/auth/proofs/passkey-schemas";
import { proofOf, type Proof } from "@/lib/auth/proofs/proof";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { readChallengeCookie } from "@/lib/auth/proofs/webauthn-challenge";
import { sessionResponse } from "@/lib/auth/respond";
import { sessionFromCookies } from "@/lib/auth/session-cookie";
import { refreshFreshness } from "@/lib/auth/sessions";
import type { PublicUser } from "@/lib/auth/users";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

// One branch per proof; each verifies into the same Proof.
const passwordBody = z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
const passkeyBody = z.strictObject({ passkey: assertionSchema });
const body = z.union([passwordBody, passkeyBody]);

type Confirming = { request: Request; user: PublicUser; sessionId: string };

/** The live session is the trusted client: its own guessing budget, failures counted against the account. */
async function confirmWithPassword({ request, user, sessionId }: Confirming, password: string): Promise<Proof> {
  await checkUserPassword(user, sessionId, password, clientAddress(request));
  return proofOf(["password"]);
}

/** An assertion of this account's passkey, over the challenge this browser asked for; limited like a password. */
async function confirmWithPasskey({ request, user, sessionId }: Confirming, passkey: z.infer<typeof assertionSchema>): Promise<Proof> {
  const keys = { account: user.email, address: clientAddress(request), trusted: `session:${sessionId}` };
  const { proof } = await verifyPasskeyAssertion(passkey, readChallengeCookie(request), relyingParty(request), user.id, keys);
  return proof;
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    // The proof is checked here, so an expired access token may name the
    // session; the session itself must still be alive.
    const claims = await sessionFromCookies(request, { allowExpired: true });
    await assertCsrfToken(request, claims.sid);
    const input = await readJson(request, body);
    const { user } = await loadLiveSession(claims);
    const confirming = { request, user, sessionId: claims.sid };
    const proof = "passkey" in input ? await confirmWithPasskey(confirming, input.passkey) : await confirmWithPassword(confirming, input.password);
    // Fresh access token; the refresh token (and its rotation chain) is untouched.
    const confirmed = { userId: user.id, type: "confirmed", ...requestClient(request), sessionId: claims.sid, detail: { methods: proof.methods } } as const;
    const response = sessionResponse(await refreshFreshness(claims.sid, proof, confirmed), isSecureRequest(request), {});
    return "passkey" in input ? withChallengeCleared(request, response) : response;
  }),
});
