import { api } from "./index";

// Apart from session-actions.ts: every signed-in page has a Sign out button,
// and none of them needs the sign-in calls.
/** The server accepts an expired access token here, so no refresh is ever needed to leave. */
export async function signOut(): Promise<void> {
  await api.post("/api/auth/logout", undefined, { auth: "public" });
  api.signedOut();
}
