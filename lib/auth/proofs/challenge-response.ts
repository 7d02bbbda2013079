import "server-only";
import { json } from "../../http/json";
import { clearChallengeCookie, setChallengeCookie } from "./webauthn-challenge";

/** Request options in the body; the httpOnly cookie naming their challenge beside them. */
export function optionsResponse(request: Request, challengeId: string, options: unknown): Response {
  const headers = new Headers();
  setChallengeCookie(headers, request, challengeId);
  return json(options, { headers });
}

/** The challenge is spent: the cookie naming it goes too. */
export function withChallengeCleared(request: Request, response: Response): Response {
  clearChallengeCookie(response.headers, request);
  return response;
}
