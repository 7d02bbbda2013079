import "server-only";
import { cookies } from "next/headers";
import { cookieNames } from "./cookies";
import { AuthError } from "../http/errors";
import { loadLiveSession } from "./guard";
import { verifyToken } from "./tokens";

/**
 * Why a visitor with no usable session is on /login, when the server can tell:
 * a genuine access token whose session was ended elsewhere (revoked, signed
 * out on another device, password changed) is still in the cookie, because a
 * page cannot clear cookies. Nothing is said for a forged or absent token.
 */
export async function endedSessionReason(): Promise<"ended" | null> {
  const jar = await cookies();
  const token = jar.get(cookieNames(true).access)?.value ?? jar.get(cookieNames(false).access)?.value;
  if (!token) return null;
  try {
    await loadLiveSession(await verifyToken(token, "access"));
    return null;
  } catch (error) {
    return error instanceof AuthError && error.code === "token_revoked" ? "ended" : null;
  }
}

/**
 * The hand-off (/api/auth/resume) found the refresh token refused: it says why
 * to the sign-in page in a short-lived cookie that the page reads and deletes
 * (`lib/client/sign-out-notice.ts`). Path=/login keeps it off every request
 * but that one; it carries a word, never a token.
 */
export function reasonCookie(code: string): string {
  const reason = code === "token_revoked" ? "ended" : "expired";
  return `fresh-auth-signed-out=${reason}; Path=/login; Max-Age=60; SameSite=Lax`;
}
