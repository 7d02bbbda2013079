import { after } from "next/server";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { rememberAddress } from "@/lib/auth/known-address";
import { linkOrigin } from "@/lib/auth/links/origin";
import { withChallengeCleared } from "@/lib/auth/proofs/challenge-response";
import { verifyPasskeyAssertion } from "@/lib/auth/proofs/passkey";
import { assertionSchema } from "@/lib/auth/proofs/passkey-schemas";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { readChallengeCookie } from "@/lib/auth/proofs/webauthn-challenge";
import { sessionResponse } from "@/lib/auth/respond";
import { createSession } from "@/lib/auth/sessions";
import { noticeNewSignIn } from "@/lib/auth/sign-in-notice";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.strictObject({ response: assertionSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const { response } = await readJson(request, body);
    const address = clientAddress(request);
    // No account is known before the check, so failures count against the address.
    const { user, credentialVersion, proof } = await verifyPasskeyAssertion(response, readChallengeCookie(request), relyingParty(request), null, { address });
    // Like a right password, a passkey proves this address for the account (its own guessing budget, decision 405).
    await rememberAddress(user.id, address);
    // A passkey is possession plus user verification: no second step follows.
    const userAgent = request.headers.get("user-agent") ?? "";
    const issued = await createSession(user.id, { ip: address, userAgent }, proof, credentialVersion);
    const origin = linkOrigin(request);
    after(() => noticeNewSignIn(user, address, userAgent, origin));
    return withChallengeCleared(request, sessionResponse(issued, isSecureRequest(request), { user }));
  }),
});
