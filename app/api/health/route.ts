import { getDb } from "@/lib/db";
import { json } from "@/lib/http/json";
import { AuthError } from "@/lib/auth/errors";
import { methods, route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route(async () => {
    try {
      await getDb().$queryRawUnsafe("SELECT 1");
    } catch {
      return new AuthError("service_unavailable", { description: "The database is unreachable.", retryAfter: 5 }).toResponse();
    }
    return json({ status: "ok", database: "ok" });
  }),
});
