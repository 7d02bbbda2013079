import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { pendingCookie, readPendingToken } from "@/lib/auth/pending-sign-in";
import { recoveryCodeSchema, totpCodeSchema } from "@/lib/auth/proofs/code-schemas";
import { sessionResponse } from "@/lib/auth/respond";
import { completeSignIn } from "@/lib/auth/two-step-sign-in";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.union([z.strictObject({ code: totpCodeSchema }), z.strictObject({ recoveryCode: recoveryCodeSchema })]);

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The pending sign-in's cookie is the only credential here; the session starts on success.
  POST: route(async (request) => {
    const input = await readJson(request, body);
    const secure = isSecureRequest(request);
    const { user, issued } = await completeSignIn({
      token: readPendingToken(request),
      input,
      address: clientAddress(request),
      userAgent: request.headers.get("user-agent") ?? "",
      secure,
    });
    const response = sessionResponse(issued, secure, { user });
    response.headers.append("Set-Cookie", pendingCookie(secure, null));
    return response;
  }),
});
