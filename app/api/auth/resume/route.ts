import { requestClient } from "@/lib/auth/client-address";
import { hostCookiesBinding } from "@/lib/auth/cookie-binding";
import { readCookies, isSecureRequest, setSessionCookies, type AuthCookies } from "@/lib/auth/cookies";
import { AuthError } from "@/lib/http/errors";
import { isTopLevelNavigation } from "@/lib/auth/navigation";
import { loginAfterEndedSession, safeNextPath } from "@/lib/auth/next-path";
import { signedOutResponse } from "@/lib/auth/respond";
import { resumePageResponse } from "@/lib/auth/resume-page";
import { reasonCookie } from "@/lib/auth/signed-out-reason";
import { rotateRefreshToken } from "@/lib/auth/sessions";
import { verifyToken } from "@/lib/auth/tokens";
import { methods, route } from "@/lib/http/route";

const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });

/**
 * The page-load hand-off: a server component (lib/auth/page.ts) sends a page
 * load with an expired access token here (under /api/auth, so the
 * path-scoped refresh cookie arrives), the refresh token is rotated, and the
 * browser continues to `next` signed in (docs/decisions/301).
 *
 * A GET that rotates needs more than the SameSite=Strict refresh cookie,
 * which a same-SITE sibling's `<img src=/api/auth/resume>` still carries
 * (and each such rotation opens the reuse grace for a stolen parent token):
 * it rotates only for a top-level navigation from our own origin (or typed),
 * and only a refresh token of the session the host-only cookies name. Any
 * other request gets the small page that refreshes with POST and the CSRF
 * header; a refused binding or duplicate cookies go to the sign-in form
 * (`status=session-ended`, so it shows the form) without clearing anything
 * (docs/decisions/620).
 */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(async (request) => {
    const next = safeNextPath(new URL(request.url).searchParams.get("next"));
    const secure = isSecureRequest(request);
    let cookies: AuthCookies;
    try {
      cookies = readCookies(request);
    } catch (error) {
      if (error instanceof AuthError && error.code === "csrf_failed") return seeOther(loginAfterEndedSession(next));
      throw error;
    }
    if (!cookies.refresh || !isTopLevelNavigation(request)) return resumePageResponse(next, secure);
    try {
      const claims = await verifyToken(cookies.refresh, "refresh");
      if ((await hostCookiesBinding(cookies, claims.sid)) !== "match") return seeOther(loginAfterEndedSession(next));
      const issued = await rotateRefreshToken(claims, () => requestClient(request));
      const headers = new Headers({ Location: next, "Cache-Control": "no-store" });
      setSessionCookies(headers, secure, issued);
      return new Response(null, { status: 303, headers });
    } catch (error) {
      if (!(error instanceof AuthError) || error.status !== 401) throw error;
      // The cookies are cleared on the way, so /login has nothing to hand back
      // but the reason, in a short-lived cookie of its own: it says why.
      const response = seeOther(`/login?next=${encodeURIComponent(next)}`);
      response.headers.append("Set-Cookie", reasonCookie(error.code));
      return signedOutResponse(secure, response);
    }
  }),
});
