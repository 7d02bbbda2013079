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

/** A passkey the agent stored for a user, with the private half for the browser's virtual authenticator. */
export interface MintedPasskey {
  /** The Passkey row's id (what the API and the page call it). */
  id: string;
  name: string;
  /** base64url, as WebAuthn and the Passkey row spell it. */
  credentialId: string;
  /** The P-256 private key, PKCS#8 DER in base64 (what CDP's WebAuthn.addCredential takes). */
  privateKey: string;
  /** The user handle the app gives at registration (its user id's UTF-8 bytes), base64. */
  userHandle: string;
}

/** Two-step sign-in turned on: the seed (as the set-up screen shows it) and the ten recovery codes. */
export interface MintedTotp {
  secret: string;
  recoveryCodes: string[];
  /** The 30-second step of the code that turned it on: the server accepts only later ones. */
  usedStep: number;
}

export type AgentRequest =
  | { op: "createUser"; email?: string; password: string; name?: string; emailVerified?: boolean }
  | { op: "mintSession"; userId: string; state: SessionState; methods: AuthMethod[]; userAgent: string; accessTtlSeconds?: number }
  | { op: "probeToken" }
  | { op: "mintAccess"; userId: string; sessionId: string; state: Exclude<SessionState, "fresh">; methods: AuthMethod[] }
  | { op: "revokeSession"; sessionId: string }
  | { op: "stealRefreshToken"; refresh: string }
  | { op: "sessionRow"; sessionId: string }
  | { op: "deleteUsers"; ids: string[]; emails: string[] }
  | { op: "addPasskey"; userId: string; name?: string }
  | { op: "enableTotp"; userId: string };

export type AgentResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
