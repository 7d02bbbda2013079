import { z } from "zod";
import { withAuth } from "@/lib/auth/guard";
import { startEmailChange } from "@/lib/auth/links/email-change";
import { emailSchema } from "@/lib/auth/users";
import { json, readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const body = z.strictObject({ email: emailSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The e-mail is how an account is recovered: taking it over must cost the
  // password (fresh), and the new address must prove itself (202, a link).
  // The changeEmail Server Action (app/account/actions.ts) calls the same lib function.
  PUT: withAuth(
    async (request, auth) => {
      const { email } = await readJson(request, body);
      return json(await startEmailChange(request, auth, email), { status: 202 });
    },
    { fresh: true },
  ),
});
