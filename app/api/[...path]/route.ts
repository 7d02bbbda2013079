import { AuthError } from "@/lib/http/errors";

// Unknown API paths answer in JSON like every other API error, not with HTML.
const notFound = async () => new AuthError("not_found").toResponse();

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
