import { requestClient } from "@/lib/auth/client-address";
import { authenticateRefresh } from "@/lib/auth/guard";
import { isSecureRequest } from "@/lib/auth/cookies";
import { AuthError } from "@/lib/http/errors";
import { sessionResponse, signedOutResponse } from "@/lib/auth/respond";
import { rotateRefreshToken } from "@/lib/auth/sessions";
import { methods, route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    try {
      const { claims, secure } = await authenticateRefresh(request);
      // The client is read (and recorded) only if this turns out to be token reuse.
      return sessionResponse(await rotateRefreshToken(claims, () => requestClient(request)), secure, {});
    } catch (error) {
      // A refused refresh ends the browser's session: clear the cookies so the
      // client stops presenting a token that will never work again.
      if (error instanceof AuthError && error.status === 401) {
        return signedOutResponse(isSecureRequest(request), error.toResponse());
      }
      throw error;
    }
  }),
});
