import { withAuth } from "@/lib/auth/guard";
import { registrationOptions } from "@/lib/auth/proofs/passkey-registration";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { json } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // A new way into the account: only right after a proof of presence.
  POST: withAuth(async (request, { user, sessionId }) => json(await registrationOptions(user, sessionId, relyingParty(request))), { fresh: true }),
});
