import "server-only";
import { getConfig } from "../../config";
import { log } from "../../log";

let warned = false;

/**
 * The origin put into e-mailed links. APP_URL when set. Without it, the
 * request's own scheme and Host: right for `npm start` on a laptop, but a
 * Host header is the client's to choose, so a public deployment MUST set
 * APP_URL or a reset requested with a forged Host would mail the victim a
 * link to someone else's site (docs/security.md, "reset poisoning").
 */
export function linkOrigin(request: Request): string {
  const { APP_URL } = getConfig();
  if (APP_URL) return APP_URL;
  if (!warned) {
    warned = true;
    log.warn("APP_URL is not set: e-mailed links use the request's Host. Set APP_URL in production.");
  }
  const url = new URL(request.url);
  return new URL(`${url.protocol}//${request.headers.get("host") ?? url.host}`).origin;
}
