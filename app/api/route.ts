import { AuthError } from "@/lib/http/errors";

// `/api` itself is not caught by `[...path]` (a catch-all needs one segment):
// it answers the same JSON 404 instead of the HTML not-found page.
const notFound = async () => new AuthError("not_found").toResponse();

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
