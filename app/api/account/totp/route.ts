import { withAuth } from "@/lib/auth/guard";
import { disableTotp, startTotpEnrollment } from "@/lib/auth/proofs/totp-factor";
import { AuthError } from "@/lib/http/errors";
import { json, noContent } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // Fresh: whoever adds a factor must have just proved presence, or a stolen
  // session could plant its own authenticator and keep the account.
  POST: withAuth(async (_request, { user }) => json(await startTotpEnrollment(user)), { fresh: true }),
  // multi_factor: turning the second factor off must take the second factor
  // (or a passkey), else a stolen password alone could remove it.
  DELETE: withAuth(
    async (_request, { user }) => {
      if (!(await disableTotp(user.id))) throw new AuthError("not_found", { description: "Two-step sign-in is not on." });
      return noContent();
    },
    { fresh: { level: "multi_factor" } },
  ),
});
