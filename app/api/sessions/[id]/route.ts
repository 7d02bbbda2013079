import { withAuth } from "@/lib/auth/guard";
import { AuthError } from "@/lib/auth/errors";
import { signedOutResponse } from "@/lib/auth/respond";
import { revokeUserSession } from "@/lib/auth/sessions";
import { noContent } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  DELETE: withAuth(async (_request, { user, sessionId, secure }, context) => {
    const { id } = await context.params;
    // Only the owner's live sessions are found: another user's id is a 404,
    // indistinguishable from an id that never existed.
    if (typeof id !== "string" || !(await revokeUserSession(user.id, id, "signed_out_elsewhere"))) {
      throw new AuthError("not_found", { description: "No such session." });
    }
    return id === sessionId ? signedOutResponse(secure) : noContent();
  }),
});
