import "server-only";
import { json, noContent } from "../http/json";
import { clearSessionCookies, setSessionCookies } from "./cookies";
import type { IssuedSession } from "./sessions";

/**
 * Responses that carry tokens put them in cookies only: the body gets the
 * session's public view (times and freshness), never a token.
 */
export function sessionResponse(issued: IssuedSession, secure: boolean, body: Record<string, unknown>, status = 200): Response {
  const headers = new Headers();
  setSessionCookies(headers, secure, issued);
  return json({ ...body, session: issued.view }, { status, headers });
}

export function signedOutResponse(secure: boolean, response?: Response): Response {
  const headers = new Headers(response?.headers);
  clearSessionCookies(headers, secure);
  if (!response) return noContent(headers);
  return new Response(response.body, { status: response.status, headers });
}
