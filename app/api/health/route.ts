import { getDb } from "@/lib/db";
import { json } from "@/lib/http/json";
import { AuthError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/route";
import { log } from "@/lib/log";

// For load balancers and the test harness: 200 only when this instance can
// reach its database. The query is bounded by DATABASE_TIMEOUT, so a hung
// database answers 503 in that time instead of making the checker time out.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(async () => {
    try {
      await getDb().$queryRawUnsafe("SELECT 1");
    } catch (error) {
      log.warn({ err: error }, "health check: database unreachable");
      return new AuthError("service_unavailable", { description: "The database is unreachable.", retryAfter: 5 }).toResponse();
    }
    // Exactly the contract's body: a 200 already means the database answered.
    return json({ status: "ok" });
  }),
});
