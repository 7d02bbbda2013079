import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { checkCredentials } from "@/lib/auth/credentials";
import { knownDevice, rememberDevice } from "@/lib/auth/device";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { createSession } from "@/lib/auth/sessions";
import { emailSchema } from "@/lib/auth/users";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

// No minimum length here: a short wrong password is simply wrong, and telling
// it apart would only help guessing. The maximum keeps hashing cheap.
const body = z.strictObject({ email: emailSchema, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route(async (request) => {
    const { email, password } = await readJson(request, body);
    // A browser that signed in here before keeps its own guessing budget, so
    // an attacker holding the account's limit shut cannot lock its owner out.
    const deviceId = await knownDevice(request, email);
    const user = await checkCredentials(email, password, clientAddress(request), deviceId);
    const issued = await createSession(user.id, request.headers.get("user-agent") ?? "");
    const response = sessionResponse(issued, isSecureRequest(request), { user });
    await rememberDevice(response.headers, request, email, deviceId);
    return response;
  }),
});
