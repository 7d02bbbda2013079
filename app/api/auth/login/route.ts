import { after } from "next/server";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { checkCredentials } from "@/lib/auth/credentials";
import { rememberAddress } from "@/lib/auth/known-address";
import { linkOrigin } from "@/lib/auth/links/origin";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";
import { sessionResponse } from "@/lib/auth/respond";
import { proofOf } from "@/lib/auth/proofs/proof";
import { createSession } from "@/lib/auth/sessions";
import { noticeNewSignIn } from "@/lib/auth/sign-in-notice";
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
    const userAgent = request.headers.get("user-agent") ?? "";
    const { user, credentialVersion } = await checkCredentials(email, password, address, userAgent);
    // With an authenticator on: 401 second_factor_required and a pending sign-in, no session yet.
    await assertNoSecondStepOwed(user.id, credentialVersion, userAgent, isSecureRequest(request));
    await rememberAddress(user.id, address);
    const issued = await createSession(user.id, { ip: address, userAgent }, proofOf(["password"]), credentialVersion);
    const origin = linkOrigin(request);
    after(() => noticeNewSignIn(user, address, userAgent, origin));
    return sessionResponse(issued, isSecureRequest(request), { user });
  }),
});
