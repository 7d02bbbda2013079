import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { withAuth } from "@/lib/auth/guard";
import { requestEmailChange } from "@/lib/auth/links/email-change";
import { linkOrigin } from "@/lib/auth/links/origin";
import { limitProbing } from "@/lib/auth/rate-limit";
import { emailSchema } from "@/lib/auth/users";
import { json, readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const body = z.strictObject({ email: emailSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The e-mail is how an account is recovered: taking it over must cost the
  // password (fresh), and the new address must prove itself (202, a link).
  PUT: withAuth(
    async (request, { user }) => {
      const { email } = await readJson(request, body);
      // A 409 says the address has an account, so, as on register, each one
      // counts as a failure against the client address, and against this
      // user ("user:" keys never collide with e-mails): one signed-in account
      // is no faster a way to list who has signed up than register is.
      // Mails it sends are bounded by the account's mail budget (links/limits.ts).
      const keys = { account: `user:${user.id}`, address: clientAddress(request) };
      const pending = await limitProbing(keys, () => requestEmailChange(user, email, linkOrigin(request)));
      return json(pending, { status: 202 });
    },
    { fresh: true },
  ),
});
