import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { isSecureRequest } from "@/lib/auth/cookies";
import { rememberAddress } from "@/lib/auth/known-address";
import { passwordSchema } from "@/lib/auth/password";
import { limitProbing } from "@/lib/auth/rate-limit";
import { sessionResponse } from "@/lib/auth/respond";
import { proofOf } from "@/lib/auth/proofs/proof";
import { createSession } from "@/lib/auth/sessions";
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
    const issued = await createSession(user.id, requestClient(request), proofOf(["password"]), credentialVersion);
    // Signing up proves the password from here: this address is known to the account.
    await rememberAddress(user.id, address);
    return sessionResponse(issued, isSecureRequest(request), { user }, 201);
  }),
});
