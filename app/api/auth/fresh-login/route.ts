import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { checkUserPassword } from "@/lib/auth/credentials";
import { assertCsrfToken } from "@/lib/auth/csrf";
import { loadLiveSession } from "@/lib/auth/guard";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { sessionFromCookies } from "@/lib/auth/session-cookie";
import { refreshFreshness } from "@/lib/auth/sessions";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    // The password is the proof here, so an expired access token may name the
    // session; the session itself must still be alive.
    const claims = await sessionFromCookies(request, { allowExpired: true });
    await assertCsrfToken(request, claims.sid);
    const { password } = await readJson(request, body);
    const { user } = await loadLiveSession(claims);
    await checkUserPassword(user, claims.sid, password, clientAddress(request));
    // Fresh access token; the refresh token (and its rotation chain) is untouched.
    const confirmed = { userId: user.id, type: "confirmed", ...requestClient(request), sessionId: claims.sid } as const;
    return sessionResponse(await refreshFreshness(claims.sid, undefined, confirmed), isSecureRequest(request), {});
  }),
});
