/** Shapes of the API's JSON bodies (DESIGN.md, "HTTP API"). */
export interface User {
  id: string;
  email: string;
  name: string;
}

export interface SessionInfo {
  id: string;
  fresh: boolean;
  freshUntil: string | null;
  accessExpiresAt: string;
  refreshExpiresAt: string;
  authTime: string;
}

export interface SessionListItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string;
  current: boolean;
}

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
