import { z } from "zod";
import { withAuth } from "@/lib/auth/guard";
import { changeEmail, emailSchema } from "@/lib/auth/users";
import { json, readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const body = z.strictObject({ email: emailSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The e-mail is how an account is recovered: taking it over must cost the password.
  PUT: withAuth(
    async (request, { user }) => {
      const { email } = await readJson(request, body);
      return json({ user: await changeEmail(user.id, email) });
    },
    { fresh: true },
  ),
});
