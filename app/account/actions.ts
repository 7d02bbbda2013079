"use server";

import { AuthError } from "@/lib/http/errors";
import { withAuthAction, type ActionResult } from "@/lib/auth/action";
import { assertFresh } from "@/lib/auth/guard";
import { startEmailChange } from "@/lib/auth/links/email-change";
import { emailSchema, nameSchema, updateName } from "@/lib/auth/users";

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

// Fresh, like PUT /api/account/email: the e-mail is how an account is
// recovered, so moving it costs a recent proof of presence. Unlike the route,
// the form's malformed address is answered before freshness is asked for: a
// typo should not cost a password, and the format rules are public. Whether
// an address is taken (a probe) is still only answered to a fresh session.
const requestEmailChange = withAuthAction(async (auth, email: unknown) => {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new AuthError("invalid_request", { fields: { email: parsed.error.issues[0]?.message ?? "Enter a valid e-mail address." } });
  await assertFresh(auth.claims, auth.user.id, true);
  return startEmailChange(auth.request, auth, parsed.data);
});

export type EmailChangeResult = ActionResult<{ pendingEmail: string }> & { email?: string };

/**
 * The e-mail form's Server Action, in useActionState's shape (previous state,
 * FormData), so the form also works when submitted before hydration: React
 * renders this action's id into the form and Next renders the page with its
 * result. The previous state is ignored (it comes from the client like any
 * argument). The same lib call as PUT /api/account/email.
 *
 * A refusal hands the typed address back: before hydration the page is
 * rendered anew from this result, and the field would otherwise come back
 * empty. It is the caller's own input, shown in its own page (React escapes
 * it), and only after the guard's Origin check has run.
 */
export async function changeEmail(_previous: unknown, form: unknown): Promise<EmailChangeResult> {
  const email = form instanceof FormData ? form.get("email") : null;
  const result = await requestEmailChange(email);
  if (result.ok || typeof email !== "string" || result.error === "csrf_failed") return result;
  return { ...result, email: email.slice(0, 320) };
}
