import { z } from "zod";
import { clientAddress, requestClient } from "@/lib/auth/client-address";
import { withAuth } from "@/lib/auth/guard";
import { limitProbing } from "@/lib/auth/rate-limit";
import { changeEmail, emailSchema } from "@/lib/auth/users";
import { json, readJson } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

const body = z.strictObject({ email: emailSchema });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The e-mail is how an account is recovered: taking it over must cost the password.
  PUT: withAuth(
    async (request, { user, sessionId }) => {
      const { email } = await readJson(request, body);
      // A 409 says the address has an account, so, as on register, each one
      // counts as a failure against the client address, and against this
      // user ("user:" keys never collide with e-mails): one signed-in account
      // is no faster a way to list who has signed up than register is.
      const keys = { account: `user:${user.id}`, address: clientAddress(request) };
      // Today the address changes at once, so the event is `email_changed`; with
      // confirmation links this becomes `email_change_requested` here.
      const event = { userId: user.id, type: "email_changed", ...requestClient(request), sessionId, detail: { email } } as const;
      const changed = await limitProbing(keys, () => changeEmail(user.id, email, event));
      return json({ user: changed });
    },
    { fresh: true },
  ),
});
