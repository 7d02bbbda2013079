import { optionsResponse } from "@/lib/auth/proofs/challenge-response";
import { assertionOptions } from "@/lib/auth/proofs/passkey";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { methods, route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // Anyone: the options name no account (discoverable credentials), and the
  // challenge is bound to this browser by its cookie.
  POST: route(async (request) => {
    const { challengeId, options } = await assertionOptions(relyingParty(request), null);
    return optionsResponse(request, challengeId, options);
  }),
});
