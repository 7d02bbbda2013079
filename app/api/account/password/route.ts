import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { checkUserPassword } from "@/lib/auth/credentials";
import { withAuth } from "@/lib/auth/guard";
import { PASSWORD_MAX_LENGTH, passwordSchema } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { refreshFreshness, revokeOtherSessions } from "@/lib/auth/sessions";
import { setPassword } from "@/lib/auth/users";
import { readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const body = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: passwordSchema,
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // Not a fresh-token route: the current password is asked for in the body,
  // which is a stronger and more recent proof than a fresh token.
  PUT: withAuth(async (request, { user, sessionId, secure }) => {
    const { currentPassword, newPassword } = await readJson(request, body);
    await checkUserPassword(user, sessionId, currentPassword, clientAddress(request));
    await setPassword(user.id, newPassword, { userId: user.id, type: "password_changed", ...requestClient(request), sessionId });
    // Whoever else knew the old password is signed out everywhere else.
    await revokeOtherSessions(user.id, sessionId, "password_changed");
    const response = sessionResponse(await refreshFreshness(sessionId), secure, {});
    response.headers.delete("Content-Type");
    return new Response(null, { status: 204, headers: response.headers });
  }),
});
