import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { checkUserPassword } from "@/lib/auth/credentials";
import { withAuth } from "@/lib/auth/guard";
import { hashPassword, PASSWORD_MAX_LENGTH, passwordSchema } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { renewAfterPasswordChange } from "@/lib/auth/sessions";
import { readJson } from "@/lib/http/json";
import { INPUT_MESSAGES } from "@/lib/shared/field-messages";
import { newPasswordProblem } from "@/lib/shared/input-rules";
import { methods } from "@/lib/http/route";

const body = z
  .strictObject({
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    newPassword: passwordSchema,
  })
  // "Password changed" for the same password would be a lie the user acts on.
  .refine((b) => newPasswordProblem(b.currentPassword, b.newPassword) === null, { path: ["newPassword"], message: INPUT_MESSAGES.samePassword });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // Not a fresh-token route: the current password is asked for in the body,
  // which is a stronger and more recent proof than a fresh token.
  PUT: withAuth(async (request, { user, sessionId, secure }) => {
    const { currentPassword, newPassword } = await readJson(request, body);
    const checkedVersion = await checkUserPassword(user, sessionId, currentPassword, clientAddress(request));
    const passwordHash = await hashPassword(newPassword);
    // Whoever else knew the old password is signed out everywhere else, even a
    // sign-in still in flight; this browser gets a new refresh token.
    const issued = await renewAfterPasswordChange({ userId: user.id, sessionId, passwordHash, checkedVersion });
    const response = sessionResponse(issued, secure, {});
    response.headers.delete("Content-Type");
    return new Response(null, { status: 204, headers: response.headers });
  }),
});
