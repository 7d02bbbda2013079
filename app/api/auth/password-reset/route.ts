import { after } from "next/server";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { countLinkRequest } from "@/lib/auth/links/limits";
import { linkOrigin } from "@/lib/auth/links/origin";
import { sendPasswordResetLink } from "@/lib/auth/links/password-reset";
import { emailSchema } from "@/lib/auth/users";
import { json, readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.strictObject({ email: emailSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(async (request) => {
    const { email } = await readJson(request, body);
    await countLinkRequest(clientAddress(request));
    // After the answer: the same 202, at the same moment, whether or not the
    // address has an account (lib/auth/links/password-reset.ts).
    const origin = linkOrigin(request);
    after(() => sendPasswordResetLink(email, origin));
    return json({}, { status: 202 });
  }),
});
