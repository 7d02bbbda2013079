import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { checkCredentials } from "@/lib/auth/credentials";
import { rememberAddress } from "@/lib/auth/known-address";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { createSession } from "@/lib/auth/sessions";
import { assertNoSecondStepOwed } from "@/lib/auth/two-step-sign-in";
import { emailSchema } from "@/lib/auth/users";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

// No minimum length here: a short wrong password is simply wrong, and telling
// it apart would only help guessing. The maximum keeps hashing cheap.
const body = z.strictObject({ email: emailSchema, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const { email, password } = await readJson(request, body);
    const address = clientAddress(request);
    const secure = isSecureRequest(request);
    const userAgent = request.headers.get("user-agent") ?? "";
    const user = await checkCredentials(email, password, address);
    // With an authenticator on: 401 second_factor_required and a pending sign-in, no session yet.
    await assertNoSecondStepOwed(user.id, userAgent, secure);
    await rememberAddress(user.email, address);
    return sessionResponse(await createSession(user.id, userAgent), secure, { user });
  }),
});
