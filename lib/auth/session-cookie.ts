import "server-only";
import { readCookies } from "./cookies";
import { AuthError } from "../http/errors";
import { verifyToken } from "./tokens";

/**
 * Which session do the cookies name? For logout and fresh-login, either
 * cookie will do: the refresh cookie when the path lets it through, else the
 * access cookie. With `allowExpired`, an expired but genuine token still
 * names its session (logout must work after a long sleep).
 */
export async function sessionFromCookies(request: Request, options: { allowExpired: boolean }) {
  const { access, refresh } = readCookies(request);
  if (refresh) {
    try {
      return await verifyToken(refresh, "refresh", options);
    } catch (error) {
      if (!access) throw error;
    }
  }
  if (access) return verifyToken(access, "access", options);
  throw new AuthError("authorization_required");
}
