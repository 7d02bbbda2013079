import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, createNonce, NONCE_HEADER } from "./lib/http/csp";

/**
 * Gives every page a Content-Security-Policy with a nonce of its own
 * (decision 621). Next reads the nonce from the request's policy header and
 * puts it on every script it renders, so the policy is set on the request
 * (for Next) and on the response (for the browser).
 *
 * This file decides NO auth: it never reads a cookie or a token. Every page
 * and route handler checks the session itself (decision 301); skipping this
 * proxy (CVE-2025-29927 style) would only lose the header.
 */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only: route handlers answer JSON (the resume hand-off sets its own
  // policy), and static files carry no inline script.
  matcher: [
    {
      source: "/((?!api(?:/|$)|_next/static|_next/image|favicon\\.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
