import { assertCsrfToken } from "@/lib/auth/csrf";
import { loadLiveSession } from "@/lib/auth/guard";
import { optionsResponse } from "@/lib/auth/proofs/challenge-response";
import { assertionOptions } from "@/lib/auth/proofs/passkey";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { sessionFromCookies } from "@/lib/auth/session-cookie";
import { methods, route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // Authenticated exactly like fresh-login itself (refresh or access cookie,
  // even an expired access token), so the dialog can always ask for options.
  POST: route(async (request) => {
    const claims = await sessionFromCookies(request, { allowExpired: true });
    await assertCsrfToken(request, claims.sid);
    const { user } = await loadLiveSession(claims);
    // Only this account's passkeys: a confirmation never switches accounts.
    const { challengeId, options } = await assertionOptions(relyingParty(request), user.id);
    return optionsResponse(request, challengeId, options);
  }),
});
