import { z } from "zod";
import { withAuth } from "@/lib/auth/guard";
import { totpCodeSchema } from "@/lib/auth/proofs/code-schemas";
import { enableTotp } from "@/lib/auth/proofs/totp-factor";
import { json, readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const body = z.strictObject({ code: totpCodeSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The first correct code proves the app holds the secret; the recovery codes are shown this once.
  POST: withAuth(
    async (request, { user }) => {
      const { code } = await readJson(request, body);
      return json({ recoveryCodes: await enableTotp(user.id, code) });
    },
    { fresh: true },
  ),
});
