import { after } from "next/server";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { linkOrigin } from "@/lib/auth/links/origin";
import { pendingCookie, readPendingToken } from "@/lib/auth/pending-sign-in";
import { recoveryCodeSchema, totpCodeSchema } from "@/lib/auth/proofs/code-schemas";
import { sessionResponse } from "@/lib/auth/respond";
import { noticeNewSignIn } from "@/lib/auth/sign-in-notice";
import { completeSignIn } from "@/lib/auth/two-step-sign-in";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.union([z.strictObject({ code: totpCodeSchema }), z.strictObject({ recoveryCode: recoveryCodeSchema })]);

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The pending sign-in's cookie is the only credential here; the session starts on success.
  POST: route(async (request) => {
    const input = await readJson(request, body);
    const secure = isSecureRequest(request);
    const address = clientAddress(request);
    const userAgent = request.headers.get("user-agent") ?? "";
    const { user, issued } = await completeSignIn({ token: readPendingToken(request), input, address, userAgent, secure });
    // The sign-in happens here, not at the password step: the "New sign-in" notice goes now.
    const origin = linkOrigin(request);
    after(() => noticeNewSignIn(user, address, userAgent, origin));
    const response = sessionResponse(issued, secure, { user });
    response.headers.append("Set-Cookie", pendingCookie(secure, null));
    return response;
  }),
});
