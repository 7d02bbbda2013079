import { listEvents } from "@/lib/activity/list";
import { listSessions } from "@/lib/auth/sessions";
import { ActivityList } from "./activity-list";

/**
 * The "Security activity" section, loaded on the server so the first page
 * renders with the rest of /account (no empty flash). The page adds it with
 * one line: <SecurityActivity userId={user.id} sessionId={session.id} />.
 */
export async function SecurityActivity({ userId, sessionId }: { userId: string; sessionId: string }) {
  const [events, sessions] = await Promise.all([listEvents(userId, { currentSessionId: sessionId }), listSessions(userId, sessionId)]);
  return <ActivityList initial={events} sessions={sessions} renderedAt={Date.now()} />;
}
