import { after } from "next/server";
import { clientAddress } from "@/lib/auth/client-address";
import { withAuth } from "@/lib/auth/guard";
import { countLinkRequest } from "@/lib/auth/links/limits";
import { linkOrigin } from "@/lib/auth/links/origin";
import { sendVerificationLink } from "@/lib/auth/links/verification";
import { json } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // "Resend verification email": a new link voids the previous one.
  POST: withAuth(async (request, { user }) => {
    await countLinkRequest(clientAddress(request));
    const origin = linkOrigin(request);
    after(() => sendVerificationLink(user.id, origin));
    return json({}, { status: 202 });
  }),
});
