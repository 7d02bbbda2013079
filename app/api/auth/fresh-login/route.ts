import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { assertCsrfToken } from "@/lib/auth/csrf";
import { loadLiveSession } from "@/lib/auth/guard";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { withChallengeCleared } from "@/lib/auth/proofs/challenge-response";
import { totpCodeSchema } from "@/lib/auth/proofs/code-schemas";
import { confirmWithCode, confirmWithPassword, confirmWithPasswordAndCode, type Confirmer } from "@/lib/auth/proofs/confirmation";
import { verifyPasskeyAssertion } from "@/lib/auth/proofs/passkey";
import { assertionSchema } from "@/lib/auth/proofs/passkey-schemas";
import type { Proof } from "@/lib/auth/proofs/proof";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { readChallengeCookie } from "@/lib/auth/proofs/webauthn-challenge";
import { sessionResponse } from "@/lib/auth/respond";
import { sessionFromCookies } from "@/lib/auth/session-cookie";
import { refreshFreshness } from "@/lib/auth/sessions";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const password = z.string().min(1).max(PASSWORD_MAX_LENGTH);
// One branch per proof (strict objects, so exactly one branch matches a body);
// each verifies into the same Proof.
const body = z.union([
  z.strictObject({ password }),
  z.strictObject({ passkey: assertionSchema }),
  z.strictObject({ code: totpCodeSchema }),
  z.strictObject({ password, code: totpCodeSchema }),
]);

/** An assertion of this account's passkey, over the challenge this browser asked for; limited like a password. */
async function confirmWithPasskey(request: Request, who: Confirmer, passkey: z.infer<typeof assertionSchema>): Promise<Proof> {
  const keys = { account: who.user.email, address: who.address, trusted: `session:${who.sessionId}` };
  const { proof } = await verifyPasskeyAssertion(passkey, readChallengeCookie(request), relyingParty(request), who.user.id, keys);
  return proof;
}

function prove(request: Request, who: Confirmer, input: z.infer<typeof body>): Promise<Proof> {
  if ("passkey" in input) return confirmWithPasskey(request, who, input.passkey);
  if ("code" in input && "password" in input) return confirmWithPasswordAndCode(who, input.password, input.code);
  if ("code" in input) return confirmWithCode(who, input.code);
  return confirmWithPassword(who, input.password);
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    // The proof is in the body, so an expired access token may name the
    // session; the session itself must still be alive.
    const claims = await sessionFromCookies(request, { allowExpired: true });
    await assertCsrfToken(request, claims.sid);
    const input = await readJson(request, body);
    const { user } = await loadLiveSession(claims);
    const proof = await prove(request, { user, sessionId: claims.sid, address: clientAddress(request) }, input);
    // Fresh access token; the refresh token (and its rotation chain) is untouched.
    const confirmed = { userId: user.id, type: "confirmed", ...requestClient(request), sessionId: claims.sid, detail: { methods: proof.methods } } as const;
    const response = sessionResponse(await refreshFreshness(claims.sid, proof, confirmed), isSecureRequest(request), {});
    return "passkey" in input ? withChallengeCleared(request, response) : response;
  }),
});
