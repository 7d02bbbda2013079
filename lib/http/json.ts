import "server-only";
import { z } from "zod";
import { AuthError } from "./errors";
import { fieldMessage } from "../shared/field-messages";

// Every rule without a sentence of its own speaks from the one message
// table: a field never shows a library's "Too small: expected string…".
z.config({ customError: (issue) => fieldMessage(issue) });

export const MAX_BODY_BYTES = 64 * 1024;

/** A JSON response that no cache may keep: every API answer is per-user. */
export function json(data: unknown, init: { status?: number; headers?: Headers } = {}): Response {
  const headers = init.headers ?? new Headers();
  headers.set("Content-Type", "application/json");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(data), { status: init.status ?? 200, headers });
}

export function noContent(headers = new Headers()): Response {
  headers.set("Cache-Control", "no-store");
  return new Response(null, { status: 204, headers });
}

/** True when the request carries a body (declared or streamed). */
export function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return request.headers.has("transfer-encoding");
}

/**
 * Only JSON is accepted. Refusing form and text/plain bodies also closes the
 * "simple request" door that HTML forms use for cross-site posts.
 */
export function assertJsonContentType(request: Request): void {
  const type = request.headers.get("content-type") ?? "";
  const mediaType = type.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") throw new AuthError("unsupported_media_type");
}

/** A declared Content-Length over MAX_BODY_BYTES is 413 before anything is read. */
export function assertDeclaredSize(request: Request): void {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw new AuthError("payload_too_large");
}

/**
 * Holds a request to MAX_BODY_BYTES whether or not its handler reads a body.
 * A declared length is judged from the header, on every method (Next keeps
 * the header even where it drops the body, on GET and HEAD). A chunked body
 * declares nothing, so it is read here within the limit and handed on as a
 * new Request over the buffered bytes: a handler that calls readJson later
 * reads it as usual. Only chunked requests pay for this; a bodyless one (the
 * browser's POST /api/auth/refresh sends Content-Length: 0) costs two header
 * lookups.
 */
export async function limitBody(request: Request): Promise<Request> {
  if (request.headers.has("content-length") || !request.headers.has("transfer-encoding") || !request.body) {
    assertDeclaredSize(request);
    return request;
  }
  const body = await readLimited(request);
  // Built from its parts, not as `new Request(request, …)`: on Node 24 the
  // request Next hands a route is not one undici can copy ("Cannot read
  // private member #state"), and nothing but these parts is needed downstream.
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

/**
 * Reads at most MAX_BODY_BYTES. A declared length over the limit is refused
 * before reading; a stream that lies about its length is cut off at the limit.
 */
async function readLimited(request: Request): Promise<Buffer<ArrayBuffer>> {
  assertDeclaredSize(request);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new AuthError("payload_too_large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Parses and validates a JSON body; every failure is a typed 4xx. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  assertJsonContentType(request);
  const text = (await readLimited(request)).toString("utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AuthError("invalid_json");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? issue.path.join(".") : "body";
      fields[key] ??= issue.message;
    }
    throw new AuthError("invalid_request", { fields });
  }
  return parsed.data;
}
