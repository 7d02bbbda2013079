import { requestClient } from "@/lib/auth/client-address";
import { z } from "zod";
import { assertFresh, withAuth } from "@/lib/auth/guard";
import { AuthError } from "@/lib/http/errors";
import { passkeyNameSchema } from "@/lib/auth/proofs/passkey-schemas";
import { countPasskeys, removePasskey, renamePasskey } from "@/lib/auth/proofs/passkey-store";
import { json, noContent, readJson } from "@/lib/http/json";
import { methods, type RouteContext } from "@/lib/http/route";

const body = z.strictObject({ name: passkeyNameSchema.pipe(z.string().min(1, "Enter a name.")) });

async function passkeyId(context: RouteContext): Promise<string> {
  const { id } = await context.params;
  if (typeof id !== "string") throw new AuthError("not_found");
  return id;
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  PATCH: withAuth(async (request, { user }, context) => {
    const { name } = await readJson(request, body);
    return json({ passkey: await renamePasskey(user.id, await passkeyId(context), name) });
  }),
  DELETE: withAuth(
    async (request, { user, claims, sessionId }, context) => {
      const id = await passkeyId(context);
      // The last passkey takes a way in with it: as strong a proof as turning
      // two-step sign-in off (an account without a code factor: its password).
      if ((await countPasskeys(user.id)) === 1) await assertFresh(claims, user.id, { level: "multi_factor" });
      await removePasskey(user.id, id, { ...requestClient(request), sessionId });
      return noContent();
    },
    { fresh: true },
  ),
});
