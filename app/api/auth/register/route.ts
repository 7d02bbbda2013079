import { after } from "next/server";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { rememberAddress } from "@/lib/auth/known-address";
import { linkOrigin } from "@/lib/auth/links/origin";
import { sendVerificationLink } from "@/lib/auth/links/verification";
import { passwordSchema } from "@/lib/auth/password";
import { limitProbing } from "@/lib/auth/rate-limit";
import { sessionResponse } from "@/lib/auth/respond";
import { proofOf } from "@/lib/auth/proofs/proof";
import { createSession } from "@/lib/auth/sessions";
import { rememberDevice } from "@/lib/auth/sign-in-notice";
import { createUser, emailSchema, nameSchema } from "@/lib/auth/users";
import { readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.strictObject({ email: emailSchema, password: passwordSchema, name: nameSchema.optional() });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const input = await readJson(request, body);
    const address = clientAddress(request);
    // Probing for taken addresses counts like a failed password per address,
    // reserved before the hash so a parallel burst cannot outrun it.
    const { credentialVersion, ...user } = await limitProbing({ address }, () =>
      createUser({ email: input.email, password: input.password, name: input.name ?? "" }),
    );
    const userAgent = request.headers.get("user-agent") ?? "";
    const issued = await createSession(user.id, userAgent, proofOf(["password"]), credentialVersion);
    // Signing up proves the password from here: this address is known to the
    // account, and this browser from it is not "a new sign-in" next time.
    await rememberAddress(user.id, address);
    const origin = linkOrigin(request);
    after(async () => {
      await rememberDevice(user.id, address, userAgent);
      await sendVerificationLink(user.id, origin);
    });
    return sessionResponse(issued, isSecureRequest(request), { user }, 201);
  }),
});
