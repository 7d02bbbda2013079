import "server-only";
import { assertSameOrigin, isUnsafeMethod } from "./same-origin";
import { AuthError } from "./errors";
import { assertJsonContentType, hasBody, limitBody, noContent } from "./json";
import { errorResponse } from "./faults";

export interface RouteContext {
  params: Promise<Record<string, string | string[]>>;
}

export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;

/**
 * Wraps every route handler: same-origin check on unsafe methods (login and
 * register included), JSON-only bodies, the 64 KB body limit, and the one
 * error boundary.
 */
export function route(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    try {
      if (isUnsafeMethod(request.method)) {
        assertSameOrigin(request);
        if (hasBody(request)) assertJsonContentType(request);
      }
      // On every method, and on routes that never read a body (refresh,
      // logout, the DELETEs, GETs): the contract's limit holds for every
      // request, not only for handlers that happen to parse one.
      return await handler(await limitBody(request), context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof ALL_METHODS)[number];

/**
 * A route file exports every method: the ones it implements, and a JSON 405
 * (with `Allow`) for the rest, so no API answer is ever an empty HTML page.
 * A GET on a mutating route therefore changes nothing.
 *
 * OPTIONS is answered here too: Next's automatic one lists every exported
 * method, which would advertise the 405s as if they worked. It grants no
 * CORS (no Access-Control-* headers), so a preflight from another origin
 * still fails.
 */
export function methods(handlers: Partial<Record<Method, RouteHandler>>): Record<Method | "OPTIONS", RouteHandler> {
  // Next serves HEAD with the GET handler (body dropped): HEAD works exactly where GET does.
  const implemented = ALL_METHODS.filter((m) => handlers[m]).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m]));
  const allow = [...implemented, "OPTIONS"].join(", ");
  const notAllowed: RouteHandler = async () =>
    new AuthError("method_not_allowed", { headers: { Allow: allow } }).toResponse();
  const options = route(async () => noContent(new Headers({ Allow: allow })));
  const routes = Object.fromEntries(ALL_METHODS.map((m) => [m, handlers[m] ?? notAllowed])) as Record<Method, RouteHandler>;
  return { ...routes, OPTIONS: options };
}
