import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { z } from "zod";
import { rejectsWith, setTestEnv } from "../test-utils";

setTestEnv();

let http: typeof import("./json");

before(async () => {
  http = await import("./json");
});

const URL_ = "http://localhost:3000/api/x";
const LIMIT = 64 * 1024;
const schema = z.strictObject({ email: z.string(), age: z.number().int().optional() });

const post = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request(URL_, { method: "POST", headers, body });

/** A body that arrives in 16 KB chunks with no Content-Length, counting what was pulled. */
function streamedRequest(chunks: number) {
  const chunk = new Uint8Array(16 * 1024).fill(0x20); // spaces: valid JSON padding
  const state = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= chunks) return controller.close();
      state.pulled++;
      controller.enqueue(chunk);
    },
  });
  const init = { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, body, duplex: "half" };
  return { request: new Request(URL_, init as RequestInit), state };
}

describe("readJson", () => {
  test("a valid body is parsed and validated", async () => {
    assert.deepEqual(await http.readJson(post('{"email":"a@b.co","age":3}'), schema), { email: "a@b.co", age: 3 });
  });

  test("application/json with parameters and any case is accepted", async () => {
    const request = post('{"email":"x"}', { "content-type": "Application/JSON; charset=utf-8" });
    assert.deepEqual(await http.readJson(request, schema), { email: "x" });
  });

  test("text/plain, form bodies and a missing type are 415", async () => {
    const types = ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", ""];
    for (const type of types) {
      await rejectsWith(http.readJson(post('{"email":"x"}', type ? { "content-type": type } : {}), schema), "unsupported_media_type");
    }
    const form = new Request(URL_, { method: "POST", body: new URLSearchParams({ email: "x" }) });
    await rejectsWith(http.readJson(form, schema), "unsupported_media_type");
  });

  test("a declared Content-Length over 64 KB is 413", async () => {
    const request = post('{"email":"x"}', { "content-type": "application/json", "content-length": String(LIMIT + 1) });
    await rejectsWith(http.readJson(request, schema), "payload_too_large");
  });

  test("a body of exactly 64 KB is read, one byte more is 413", async () => {
    const body = (size: number) => `{"email":"${"a".repeat(size - 12)}"}`;
    assert.equal(Buffer.byteLength(body(LIMIT)), LIMIT);
    assert.equal((await http.readJson(post(body(LIMIT)), schema)).email.length, LIMIT - 12);
    await rejectsWith(http.readJson(post(body(LIMIT + 1)), schema), "payload_too_large");
  });

  test("a streamed body over the limit without Content-Length is 413, and reading stops there", async () => {
    const { request, state } = streamedRequest(1000); // 16 MB on offer
    assert.equal(request.headers.get("content-length"), null);
    await rejectsWith(http.readJson(request, schema), "payload_too_large");
    assert.ok(state.pulled <= 8, `read ${state.pulled} chunks of 16 KB past a 64 KB limit`);
  });

  test("a streamed body under the limit is read", async () => {
    const { request } = streamedRequest(2);
    // 32 KB of spaces is not an object: it reaches JSON parsing, not the size check.
    await rejectsWith(http.readJson(request, schema), "invalid_json");
  });

  test("malformed JSON and an empty body are invalid_json", async () => {
    for (const body of ["{", "{'email':'x'}", "", "undefined", '{"email":"x"} trailing', "\u0000"]) {
      await rejectsWith(http.readJson(post(body), schema), "invalid_json");
    }
  });

  test("wrong types are invalid_request with fields naming them", async () => {
    await assert.rejects(http.readJson(post('{"email":42,"age":"old"}'), schema), (error: { code: string; options: { fields?: Record<string, string> } }) => {
      assert.equal(error.code, "invalid_request");
      assert.deepEqual(Object.keys(error.options.fields ?? {}).sort(), ["age", "email"]);
      return true;
    });
  });

  test("arrays, null and scalars are invalid_request on the body", async () => {
    for (const body of ['[{"email":"x"}]', "null", '"x"', "42", "true"]) {
      await assert.rejects(http.readJson(post(body), schema), (error: { code: string; options: { fields?: Record<string, string> } }) => {
        assert.equal(error.code, "invalid_request", body);
        assert.ok(error.options.fields?.body, `no "body" field for ${body}`);
        return true;
      });
    }
  });

  test("extra keys, __proto__ and constructor included, are refused and pollute nothing", async () => {
    const bodies = ['{"email":"x","admin":true}', '{"email":"x","__proto__":{"admin":true}}', '{"email":"x","constructor":{"prototype":{"admin":true}}}'];
    for (const body of bodies) {
      await assert.rejects(http.readJson(post(body), schema), (error: { code: string; options: { fields?: Record<string, string> } }) => {
        assert.equal(error.code, "invalid_request", body);
        assert.ok(error.options.fields && Object.keys(error.options.fields).length > 0, body);
        return true;
      });
    }
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  test("the error response carries the fields", async () => {
    const error = await http.readJson(post('{"email":1}'), schema).catch((e: { toResponse(): Response }) => e);
    const response = (error as { toResponse(): Response }).toResponse();
    assert.equal(response.status, 400);
    const body = await response.json();
    assert.equal(body.error, "invalid_request");
    assert.equal(typeof body.fields.email, "string");
  });
});

describe("json and noContent", () => {
  test("json() is application/json and no-store", async () => {
    const response = http.json({ ok: true }, { status: 201 });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.deepEqual(await response.json(), { ok: true });
  });

  test("noContent() is 204, empty and no-store", async () => {
    const response = http.noContent();
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(await response.text(), "");
  });
});

describe("hasBody", () => {
  test("declared or streamed bodies count, an empty one does not", () => {
    assert.equal(http.hasBody(new Request(URL_, { method: "POST", headers: { "content-length": "0" } })), false);
    assert.equal(http.hasBody(new Request(URL_, { method: "POST", headers: { "content-length": "2" }, body: "{}" })), true);
    assert.equal(http.hasBody(new Request(URL_, { method: "POST", headers: { "transfer-encoding": "chunked" } })), true);
    assert.equal(http.hasBody(new Request(URL_, { method: "POST" })), false);
  });
});

describe("limitBody", () => {
  test("a request that declares its length is passed on as is, or refused over 64 KB", async () => {
    const small = post('{"email":"x"}', { "content-type": "application/json", "content-length": "13" });
    assert.equal(await http.limitBody(small), small);
    const bare = new Request(URL_, { method: "POST", headers: { "content-length": "0" } });
    assert.equal(await http.limitBody(bare), bare);
    await rejectsWith(http.limitBody(post("{}", { "content-length": String(LIMIT + 1) })), "payload_too_large");
  });

  test("a chunked body over 64 KB is refused after reading just past the limit", async () => {
    const { request, state } = streamedRequest(100);
    await rejectsWith(http.limitBody(request), "payload_too_large");
    assert.ok(state.pulled <= 6, `pulled ${state.pulled} chunks`);
  });

  test("a chunked body within 64 KB is buffered into a request readJson still reads", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"email":'));
        controller.enqueue(new TextEncoder().encode('"x"}'));
        controller.close();
      },
    });
    const init = { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, body, duplex: "half" };
    const limited = await http.limitBody(new Request(URL_, init as RequestInit));
    assert.deepEqual(await http.readJson(limited, schema), { email: "x" });
  });
});
