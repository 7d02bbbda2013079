import { requestClient } from "@/lib/auth/client-address";
import { withAuth } from "@/lib/auth/guard";
import { AuthError } from "@/lib/http/errors";
import { signedOutResponse } from "@/lib/auth/respond";
import { revokeUserSession } from "@/lib/auth/sessions";
import { noContent } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  DELETE: withAuth(async (request, { user, sessionId, secure }, context) => {
    const { id } = await context.params;
    // Ending one's own session here is a sign-out; any other is a revocation.
    const event = { userId: user.id, type: id === sessionId ? "signed_out" : "session_revoked", ...requestClient(request), sessionId } as const;
    // Only the owner's live sessions are found: another user's id is a 404,
    // indistinguishable from an id that never existed.
    if (typeof id !== "string" || !(await revokeUserSession(user.id, id, "signed_out_elsewhere", event))) {
      throw new AuthError("not_found", { description: "No such session." });
    }
    return id === sessionId ? signedOutResponse(secure) : noContent();
  }),
});
