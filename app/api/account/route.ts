import { withAuth } from "@/lib/auth/guard";
import { signedOutResponse } from "@/lib/auth/respond";
import { deleteUser } from "@/lib/auth/users";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // Irreversible, so it needs a password check within the freshness window.
  DELETE: withAuth(
    async (_request, { user, secure }) => {
      await deleteUser(user.id);
      return signedOutResponse(secure);
    },
    { fresh: true },
  ),
});
