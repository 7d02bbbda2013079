import { api } from "./index";
import { recordSessionEvent } from "./timeline";
import type { SessionInfo, User } from "./types";

type SignedIn = { user: User; session: SessionInfo };

/** Login and register need no CSRF token (there is no session yet); the server checks Origin. */
export async function signIn(email: string, password: string): Promise<SignedIn> {
  const result = await api.post<SignedIn>("/api/auth/login", { email, password }, { auth: "public" });
  recordSessionEvent({ kind: "signed-in", at: new Date().toISOString(), session: result.session });
  return result;
}

export async function register(input: { name: string; email: string; password: string }): Promise<SignedIn> {
  const result = await api.post<SignedIn>("/api/auth/register", input, { auth: "public" });
  recordSessionEvent({ kind: "signed-in", at: new Date().toISOString(), session: result.session });
  return result;
}

/** What the second step of a two-step sign-in sends: an authenticator code or a recovery code. */
export type SecondFactor = { code: string } | { recoveryCode: string };

/** POST /api/auth/login/second-factor: the pending sign-in's cookie names the account; the session starts now. */
export async function completeSignIn(factor: SecondFactor): Promise<SignedIn> {
  const result = await api.post<SignedIn>("/api/auth/login/second-factor", factor, { auth: "public" });
  recordSessionEvent({ kind: "signed-in", at: new Date().toISOString(), session: result.session });
  return result;
}
