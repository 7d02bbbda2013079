import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { verifyEmailLink } from "@/lib/auth/links/email-change";
import { countLinkRequest } from "@/lib/auth/links/limits";
import { linkTokenSchema } from "@/lib/auth/links/schema";
import { json, readJson } from "@/lib/http/json";
import { methods, route } from "@/lib/http/route";

const body = z.strictObject({ token: linkTokenSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The link's holder, signed in or not: the token alone is the proof.
  POST: route(async (request) => {
    const { token } = await readJson(request, body);
    await countLinkRequest(clientAddress(request));
    return json({ user: await verifyEmailLink(token) });
  }),
});
