import { requestClient } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { assertCsrfToken } from "@/lib/auth/csrf";
import { AuthError } from "@/lib/http/errors";
import { signedOutResponse } from "@/lib/auth/respond";
import { sessionFromCookies } from "@/lib/auth/session-cookie";
import { revokeUserSession } from "@/lib/auth/sessions";
import { methods, route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const secure = isSecureRequest(request);
    let claims: { sid: string; sub: string };
    try {
      claims = await sessionFromCookies(request, { allowExpired: true });
    } catch (error) {
      // No usable cookie: nothing to revoke, but still clear whatever is there.
      if (error instanceof AuthError && error.status === 401) return signedOutResponse(secure);
      throw error;
    }
    // Forced logout is a nuisance attack; the CSRF token stops it.
    await assertCsrfToken(request, claims.sid);
    // Only the token's own user can end the session it names: the session id
    // AND the user id must match the row, so a token that pairs someone's
    // session id with another `sub` (a leaked signing key, or a future bug in
    // token issuance) ends nothing. Either way the caller's cookies are cleared.
    await revokeUserSession(claims.sub, claims.sid, "logout", { userId: claims.sub, type: "signed_out", ...requestClient(request), sessionId: claims.sid });
    return signedOutResponse(secure);
  }),
});
