import { listEvents } from "@/lib/activity/list";
import { AuthError } from "@/lib/http/errors";
import { withAuth } from "@/lib/auth/guard";
import { json } from "@/lib/http/json";
import { methods } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // The caller's own events only, 50 a page; `?before=<id>` continues after that event.
  GET: withAuth(async (request, { user, sessionId }) => {
    const before = new URL(request.url).searchParams.get("before") ?? undefined;
    if (before !== undefined && (before.length === 0 || before.length > 100)) {
      throw new AuthError("invalid_request", { fields: { before: "Use the id of an event from the previous page." } });
    }
    return json({ events: await listEvents(user.id, { before, currentSessionId: sessionId }) });
  }),
});
