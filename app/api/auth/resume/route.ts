import { requestClient } from "@/lib/auth/client-address";
import { readCookies, isSecureRequest } from "@/lib/auth/cookies";
import { AuthError } from "@/lib/auth/errors";
import { safeNextPath } from "@/lib/auth/next-path";
import { signedOutResponse } from "@/lib/auth/respond";
import { resumePageHtml } from "@/lib/auth/resume-page";
import { rotateRefreshToken } from "@/lib/auth/sessions";
import { setSessionCookies } from "@/lib/auth/cookies";
import { verifyToken } from "@/lib/auth/tokens";
import { methods, route } from "@/lib/http/route";

/**
 * The page-load hand-off: a server component (lib/auth/page.ts) sends a page
 * load with an expired access token here (under /api/auth, so the
 * path-scoped refresh cookie arrives), the refresh token is rotated, and the
 * browser continues to `next` signed in (docs/decisions/301).
 * A GET that rotates is safe from CSRF because the refresh cookie is
 * SameSite=Strict: a cross-site navigation never carries it.
 */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(async (request) => {
    const url = new URL(request.url);
    const next = safeNextPath(url.searchParams.get("next"));
    const secure = isSecureRequest(request);
    const refresh = readCookies(request).refresh;
    if (!refresh) {
      return new Response(resumePageHtml(next), {
        headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    try {
      const issued = await rotateRefreshToken(await verifyToken(refresh, "refresh"), () => requestClient(request));
      const headers = new Headers({ Location: next, "Cache-Control": "no-store" });
      setSessionCookies(headers, secure, issued);
      return new Response(null, { status: 303, headers });
    } catch (error) {
      if (!(error instanceof AuthError) || error.status !== 401) throw error;
      const login = `/login?next=${encodeURIComponent(next)}`;
      return signedOutResponse(secure, new Response(null, { status: 303, headers: { Location: login, "Cache-Control": "no-store" } }));
    }
  }),
});
