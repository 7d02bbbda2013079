import { isSecureRequest } from "@/lib/auth/cookies";
import { assertCsrfToken } from "@/lib/auth/csrf";
import { AuthError } from "@/lib/auth/errors";
import { signedOutResponse } from "@/lib/auth/respond";
import { sessionFromCookies } from "@/lib/auth/session-cookie";
import { revokeSession } from "@/lib/auth/sessions";
import { methods, route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route(async (request) => {
    const secure = isSecureRequest(request);
    let sessionId: string;
    try {
      ({ sid: sessionId } = await sessionFromCookies(request, { allowExpired: true }));
    } catch (error) {
      // No usable cookie: nothing to revoke, but still clear whatever is there.
      if (error instanceof AuthError && error.status === 401) return signedOutResponse(secure);
      throw error;
    }
    // Forced logout is a nuisance attack; the CSRF token stops it.
    await assertCsrfToken(request, sessionId);
    await revokeSession(sessionId, "logout");
    return signedOutResponse(secure);
  }),
});
