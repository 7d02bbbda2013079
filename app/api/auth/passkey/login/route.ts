import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { withChallengeCleared } from "@/lib/auth/proofs/challenge-response";
import { verifyPasskeyAssertion } from "@/lib/auth/proofs/passkey";
import { assertionSchema } from "@/lib/auth/proofs/passkey-schemas";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { readChallengeCookie } from "@/lib/auth/proofs/webauthn-challenge";
import { sessionResponse } from "@/lib/auth/respond";
import { createSession } from "@/lib/auth/sessions";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.strictObject({ response: assertionSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const { response } = await readJson(request, body);
    // No account is known before the check, so failures count against the address.
    const { user, proof } = await verifyPasskeyAssertion(response, readChallengeCookie(request), relyingParty(request), null, { address: clientAddress(request) });
    // A passkey is possession plus user verification: no second step follows.
    const issued = await createSession(user.id, request.headers.get("user-agent") ?? "", proof);
    return withChallengeCleared(request, sessionResponse(issued, isSecureRequest(request), { user }));
  }),
});
