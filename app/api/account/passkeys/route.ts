import { z } from "zod";
import { requestClient } from "@/lib/auth/client-address";
import { withAuth } from "@/lib/auth/guard";
import { registerPasskey } from "@/lib/auth/proofs/passkey-registration";
import { attestationSchema, passkeyNameSchema } from "@/lib/auth/proofs/passkey-schemas";
import { listPasskeys } from "@/lib/auth/proofs/passkey-store";
import { relyingParty } from "@/lib/auth/proofs/relying-party";
import { json, readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const body = z.strictObject({ response: attestationSchema, name: passkeyNameSchema.optional() });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: withAuth(async (_request, { user }) => json({ passkeys: await listPasskeys(user.id) })),
  POST: withAuth(
    async (request, { user, sessionId }) => {
      const { response, name } = await readJson(request, body);
      const passkey = await registerPasskey(user, sessionId, response, name, relyingParty(request), requestClient(request));
      return json({ passkey }, { status: 201 });
    },
    { fresh: true },
  ),
});
