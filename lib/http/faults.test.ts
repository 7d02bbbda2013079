import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { setTestEnv } from "../test-utils";

setTestEnv({ LOG_LEVEL: "silent" });

let faults: typeof import("./faults");
let errors: typeof import("./errors");

before(async () => {
  errors = await import("./errors");
  faults = await import("./faults");
});

async function read(response: Response) {
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

describe("errorResponse", () => {
  test("a plain Error is 500 internal_error with no message or stack", async () => {
    const error = new Error("password=hunter2 at /srv/app/lib/secret.ts:12");
    const response = faults.errorResponse(error);
    const { status, text, body } = await read(response);
    assert.equal(status, 500);
    assert.deepEqual(Object.keys(body).sort(), ["description", "error"]);
    assert.equal(body.error, "internal_error");
    for (const leak of ["hunter2", "/srv/app", "secret.ts", "at ", error.stack!.split("\n")[1].trim()]) {
      assert.ok(!text.includes(leak), `response leaks ${JSON.stringify(leak)}`);
    }
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("www-authenticate"), null);
  });

  test("things thrown that are not Errors are 500 too", async () => {
    for (const thrown of ["a string", 42, null, undefined, { weird: true }]) {
      const { status, body } = await read(faults.errorResponse(thrown));
      assert.equal(status, 500, String(thrown));
      assert.equal(body.error, "internal_error");
    }
  });

  test("database outages are 503 service_unavailable with Retry-After", async () => {
    const outages: unknown[] = [
      Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" }),
      { code: "ECONNREFUSED" },
      new Error("SQLITE_BUSY: database is locked"),
      Object.assign(new Error("Can't reach database server"), { code: "P1001" }),
      Object.assign(new Error("init"), { name: "PrismaClientInitializationError" }),
    ];
    for (const outage of outages) {
      const response = faults.errorResponse(outage);
      const { status, body } = await read(response);
      assert.equal(status, 503, JSON.stringify(outage));
      assert.equal(body.error, "service_unavailable");
      const retryAfter = Number(response.headers.get("retry-after"));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${response.headers.get("retry-after")}`);
    }
  });

  test("what Prisma 7, its driver adapters, node-postgres and pg-pool throw in an outage is 503", async () => {
    const adapterError = (cause: Record<string, unknown>, code = "P2010") =>
      Object.assign(new Error("Raw query failed."), { name: "PrismaClientKnownRequestError", code, meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });
    const outages: [string, unknown][] = [
      // Seen on a killed connection: $queryRaw reports P2010, the adapter says why.
      ["raw query, connection closed", adapterError({ kind: "ConnectionClosed" })],
      ["model query, connection closed", adapterError({ kind: "ConnectionClosed" }, "P1017")],
      ["SQLITE_BUSY through the adapter", adapterError({ kind: "SocketTimeout" })],
      ["too many connections", adapterError({ kind: "TooManyConnections", cause: "sorry, too many clients already" })],
      ["server restarting (57P01)", adapterError({ kind: "postgres", code: "57P01" })],
      ["statement_timeout (57014)", adapterError({ kind: "postgres", code: "57014" })],
      ["pool wait", new Error("timeout exceeded when trying to connect")],
      ["query read timeout", new Error("Query read timeout")],
      ["connect timeout, cause chain", new Error("Connection terminated due to connection timeout", { cause: new Error("Connection terminated unexpectedly") })],
      ["wrapped deeper", new Error("outer", { cause: new Error("middle", { cause: { code: "ECONNRESET" } }) })],
      ["happy eyeballs", new AggregateError([{ code: "ECONNREFUSED" }, { code: "ECONNREFUSED" }], "")],
      // SQLite file faults: the adapter's code is generic, the message names SQLite's.
      ["SQLite file made unwritable", Object.assign(new Error("Invalid `prisma.user.update()` invocation:\n\nSqliteError: disk I/O error"), { name: "PrismaClientUnknownRequestError" })],
      ["SQLITE_IOERR_WRITE in the message", Object.assign(new Error("SQLITE_IOERR_WRITE: disk I/O error"), { code: "P2010" })],
      ["read-only volume", new Error("attempt to write a readonly database (SQLITE_READONLY)")],
      ["SQLITE_READONLY_DBMOVED", new Error("code: SQLITE_READONLY_DBMOVED")],
      ["file gone", new Error("unable to open database file")],
      ["SQLITE_READONLY as a code", { code: "SQLITE_READONLY" }],
    ];
    for (const [label, outage] of outages) {
      const response = faults.errorResponse(outage);
      assert.equal(response.status, 503, label);
      assert.ok(Number(response.headers.get("retry-after")) >= 1, label);
      assert.equal(response.headers.get("set-cookie"), null, label);
    }
  });

  test("other database errors stay 500: a bug is not an outage", async () => {
    const notOutages: [string, unknown][] = [
      ["unique violation", Object.assign(new Error("Unique constraint failed"), { code: "P2002" })],
      ["missing table", Object.assign(new Error("Raw query failed."), { code: "P2010", meta: { driverAdapterError: { cause: { kind: "TableDoesNotExist" } } } })],
      ["syntax error", Object.assign(new Error("Raw query failed."), { code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", code: "42601" } } } })],
      ["a message that merely says timeout", new Error("render timeout in component")],
      ["a cycle of causes", (() => { const e: Error & { cause?: unknown } = new Error("loop"); e.cause = e; return e; })()],
    ];
    for (const [label, error] of notOutages) {
      assert.equal(faults.errorResponse(error).status, 500, label);
    }
  });

  test("an AuthError keeps its own status and body", async () => {
    const table: [import("../shared/error-codes").ErrorCode, number][] = [
      ["invalid_request", 400],
      ["csrf_failed", 403],
      ["not_found", 404],
      ["email_taken", 409],
      ["payload_too_large", 413],
      ["rate_limited", 429],
    ];
    for (const [code, status] of table) {
      const { status: got, body } = await read(faults.errorResponse(new errors.AuthError(code)));
      assert.equal(got, status, code);
      assert.equal(body.error, code);
      assert.equal(typeof body.description, "string");
    }
  });

  test('every 401 carries WWW-Authenticate: Bearer error="<code>", others do not', async () => {
    for (const code of ["authorization_required", "token_expired", "invalid_token", "token_revoked", "fresh_token_required", "invalid_credentials"] as const) {
      const response = faults.errorResponse(new errors.AuthError(code));
      assert.equal(response.status, 401, code);
      assert.equal(response.headers.get("www-authenticate"), `Bearer error="${code}"`);
    }
    assert.equal(faults.errorResponse(new errors.AuthError("csrf_failed")).headers.get("www-authenticate"), null);
  });

  test("fields, maxAge and Retry-After reach the response", async () => {
    const invalid = await read(faults.errorResponse(new errors.AuthError("invalid_request", { fields: { email: "Enter an e-mail." } })));
    assert.deepEqual(invalid.body.fields, { email: "Enter an e-mail." });
    const fresh = await read(faults.errorResponse(new errors.AuthError("fresh_token_required", { maxAge: 300 })));
    assert.equal(fresh.body.maxAge, 300);
    const limited = faults.errorResponse(new errors.AuthError("rate_limited", { retryAfter: 2.2 }));
    assert.equal(limited.headers.get("retry-after"), "3");
  });
});
