import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { assertCsrfToken } from "@/lib/auth/csrf";
import { loadLiveSession } from "@/lib/auth/guard";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { totpCodeSchema } from "@/lib/auth/proofs/code-schemas";
import { confirmWithCode, confirmWithPassword, confirmWithPasswordAndCode, type Confirmer } from "@/lib/auth/proofs/confirmation";
import type { Proof } from "@/lib/auth/proofs/proof";
import { sessionResponse } from "@/lib/auth/respond";
import { sessionFromCookies } from "@/lib/auth/session-cookie";
import { refreshFreshness } from "@/lib/auth/sessions";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const password = z.string().min(1).max(PASSWORD_MAX_LENGTH);
// One branch per proof (strict objects, so exactly one branch matches a body).
const body = z.union([
  z.strictObject({ password }),
  z.strictObject({ code: totpCodeSchema }),
  z.strictObject({ password, code: totpCodeSchema }),
]);

function prove(who: Confirmer, input: z.infer<typeof body>): Promise<Proof> {
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
    const proof = await prove({ user, sessionId: claims.sid, address: clientAddress(request) }, input);
    // Fresh access token; the refresh token (and its rotation chain) is untouched.
    return sessionResponse(await refreshFreshness(claims.sid, proof), isSecureRequest(request), {});
  }),
});
