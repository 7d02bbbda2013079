import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { checkCredentials } from "@/lib/auth/credentials";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { proofOf } from "@/lib/auth/proofs/proof";
import { createSession } from "@/lib/auth/sessions";
import { emailSchema } from "@/lib/auth/users";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

// No minimum length here: a short wrong password is simply wrong, and telling
// it apart would only help guessing. The maximum keeps hashing cheap.
const body = z.strictObject({ email: emailSchema, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const { email, password } = await readJson(request, body);
    const { user, credentialVersion } = await checkCredentials(email, password, clientAddress(request), request.headers.get("user-agent") ?? "");
    const issued = await createSession(user.id, requestClient(request), proofOf(["password"]), credentialVersion);
    return sessionResponse(issued, isSecureRequest(request), { user });
  }),
});
