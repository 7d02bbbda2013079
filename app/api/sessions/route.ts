import { requestClient } from "@/lib/auth/client-address";
import { withAuth } from "@/lib/auth/guard";
import { listSessions, revokeOtherSessions } from "@/lib/auth/sessions";
import { json, noContent } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: withAuth(async (_request, { user, sessionId }) => json({ sessions: await listSessions(user.id, sessionId) })),
  DELETE: withAuth(async (request, { user, sessionId }) => {
    await revokeOtherSessions(user.id, sessionId, "signed_out_elsewhere", { userId: user.id, type: "session_revoked", ...requestClient(request), sessionId });
    return noContent();
  }),
});
