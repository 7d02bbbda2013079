import { z } from "zod";
import { withAuth } from "@/lib/auth/guard";
import { sessionViewFromClaims } from "@/lib/auth/session-view";
import { nameSchema, updateName } from "@/lib/auth/users";
import { json, readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const patchBody = z.strictObject({ name: nameSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: withAuth(async (_request, { user, claims, sessionExpiresAt }) => json({ user, session: sessionViewFromClaims(claims, sessionExpiresAt) })),
  PATCH: withAuth(async (request, { user }) => {
    const { name } = await readJson(request, patchBody);
    return json({ user: await updateName(user.id, name) });
  }),
});
