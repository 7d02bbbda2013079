import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { countLinkRequest } from "@/lib/auth/links/limits";
import { linkOrigin } from "@/lib/auth/links/origin";
import { confirmPasswordReset } from "@/lib/auth/links/password-reset";
import { linkTokenSchema } from "@/lib/auth/links/schema";
import { passwordSchema } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.strictObject({
  token: linkTokenSchema,
  newPassword: passwordSchema,
  code: z.string().max(16).optional(),
  recoveryCode: z.string().max(64).optional(),
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const input = await readJson(request, body);
    const address = clientAddress(request);
    await countLinkRequest(address);
    const { user, issued } = await confirmPasswordReset(input, { ...requestClient(request), origin: linkOrigin(request) });
    return sessionResponse(issued, isSecureRequest(request), { user });
  }),
});
