/**
 * The shapes of the API's JSON bodies (DESIGN.md, "HTTP API"), shared by the
 * server, which builds them, and the browser, which reads them, so the two
 * can never drift apart. Times are ISO-8601 strings.
 */
export interface User {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
}

/**
 * How a proof of presence was made (the access token's `amr` claim, RFC 8176
 * in spirit): "password", "passkey", "totp" (an authenticator code) or
 * "recovery_code".
 */
export type AuthMethod = "password" | "passkey" | "totp" | "recovery_code";

/** The `session` object: what the browser may know about its tokens. */
export interface SessionView {
  id: string;
  fresh: boolean;
  /** null when the access token is not fresh. */
  freshUntil: string | null;
  accessExpiresAt: string;
  refreshExpiresAt: string;
  /** The last proof of presence (password, passkey or code). */
  authTime: string;
  /** How that proof was made, e.g. ["password"], ["passkey"], ["password","totp"]. */
  methods: AuthMethod[];
}

/** One row of `GET /api/sessions`. */
export interface SessionListItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string;
  current: boolean;
}
