/**
 * The shapes of the API's JSON bodies (DESIGN.md, "HTTP API"), shared by the
 * server, which builds them, and the browser, which reads them, so the two
 * can never drift apart. Times are ISO-8601 strings.
 */
export interface User {
  id: string;
  email: string;
  name: string;
}

/** The `session` object: what the browser may know about its tokens. */
export interface SessionView {
  id: string;
  fresh: boolean;
  /** null when the access token is not fresh. */
  freshUntil: string | null;
  accessExpiresAt: string;
  refreshExpiresAt: string;
  /** The last password check. */
  authTime: string;
}

/** One row of `GET /api/sessions`. */
export interface SessionListItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string;
  current: boolean;
}
