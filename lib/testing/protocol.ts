// What the Playwright side (kit.ts) and the agent (agent.ts) say to each other.
import type { AuthMethod } from "../shared/api-types";

/**
 * - fresh: just proved presence (as after sign-in).
 * - not_fresh: as after a refresh: a valid access token with fresh: false.
 * - freshness_ended: fresh: true, but the proof is older than AUTH_FRESH_TTL.
 * - access_expired: the access token is past exp; the refresh token is good.
 */
export type SessionState = "fresh" | "not_fresh" | "freshness_ended" | "access_expired";

export interface MintedSession {
  sessionId: string;
  access: string;
  refresh: string;
  csrf: string;
  maxAgeSeconds: number;
}

export type AgentRequest =
  | { op: "createUser"; email?: string; password: string; name?: string; emailVerified?: boolean }
  | { op: "mintSession"; userId: string; state: SessionState; methods: AuthMethod[]; userAgent: string }
  | { op: "probeToken" }
  | { op: "mintAccess"; userId: string; sessionId: string; state: Exclude<SessionState, "fresh">; methods: AuthMethod[] }
  | { op: "revokeSession"; sessionId: string }
  | { op: "stealRefreshToken"; refresh: string }
  | { op: "sessionRow"; sessionId: string }
  | { op: "deleteUsers"; ids: string[]; emails: string[] };

export type AgentResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
