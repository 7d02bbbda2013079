/** Shapes of the API's JSON bodies: the one list is lib/shared/api-types.ts. */
import type { SessionView, User } from "../shared/api-types";

export type { SessionListItem, User } from "../shared/api-types";

/** The `session` object of the API, as the browser calls it. */
export type SessionInfo = SessionView;

export interface Me {
  user: User;
  session: SessionInfo;
}

/** What the wrapper reports to the session timeline. */
export type SessionEventKind = "signed-in" | "refreshed" | "re-verified" | "signed-out";

export interface SessionEvent {
  kind: SessionEventKind;
  at: string;
  session?: SessionInfo;
}
