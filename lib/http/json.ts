import "server-only";
import type { z } from "zod";
import { AuthError } from "../auth/errors";

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
 * Reads at most MAX_BODY_BYTES. A declared length over the limit is refused
 * before reading; a stream that lies about its length is cut off at the limit.
 */
async function readLimited(request: Request): Promise<string> {
  assertDeclaredSize(request);
  if (!request.body) return "";
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
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses and validates a JSON body; every failure is a typed 4xx. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  assertJsonContentType(request);
  const text = await readLimited(request);
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
