"use server";

import { AuthError } from "@/lib/http/errors";
import { withAuthAction } from "@/lib/auth/action";
import { nameSchema, updateName } from "@/lib/auth/users";

/**
 * The profile form's Server Action: the same lib call as PATCH /api/me, under
 * the same guard. Arguments are validated here like a request body: an action
 * is a public endpoint and its arguments come from anyone.
 */
export const updateProfile = withAuthAction(async ({ user }, name: unknown) => {
  const parsed = nameSchema.safeParse(name);
  if (!parsed.success) throw new AuthError("invalid_request", { fields: { name: parsed.error.issues[0]?.message ?? "Enter a name." } });
  return { user: await updateName(user.id, parsed.data) };
});
