// Starts the real production server (scripts/start.mjs) on a throwaway
// database and talks to it over HTTP with a cookie-keeping client.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { after } from "node:test";
import { parseSetCookie } from "cookie";
import { freePort, stopChild, untilListening } from "../server-start";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

export { freePort };

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh SQLite file, or a fresh PostgreSQL database when TEST_DB=postgresql. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_DB === "postgresql") {
    const { createTempPgDatabase } = await import("../db/pg-harness");
    const db = await createTempPgDatabase();
    if (!db) throw new Error("TEST_DB=postgresql needs TEST_DATABASE_URL_PG");
    return db;
  }
  const dir = path.join(ROOT, ".tmp");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `http-${randomBytes(6).toString("hex")}.db`);
  return {
    url: `file:${file}`,
    drop: async () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    },
  };
}

export interface TestServer {
  url: string;
  databaseUrl: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export const TEST_ENV = {
  AUTH_SECRET: TEST_SECRET,
  AUTH_BCRYPT_COST: "4",
  AUTH_RATE_LIMIT_ACCOUNT: "off",
  AUTH_RATE_LIMIT_ADDRESS: "off",
  AUTH_RATE_LIMIT_SUCCESS_ACCOUNT: "off",
  AUTH_RATE_LIMIT_SUCCESS_ADDRESS: "off",
  // The machine is shared: a burst in one test must not be shed because
  // another worktree is busy. tests/security/bcrypt-flood.test.ts sets its own.
  AUTH_BCRYPT_QUEUE_DEADLINE: "60s",
  LOG_LEVEL: "warn",
};

// Every server this file started and has not seen exit. A before() that
// starts two at once and fails on one never learns of the other; left
// running, its pipes would keep this test file's process alive for good
// (node:test on Node 20 waits for the event loop to empty). So once the
// file's tests are done, whatever is still running is killed.
const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts `node scripts/start.mjs` and waits for /api/health. */
/**
 * Starts `npm start` (production, no build) on a fresh database or `database`.
 * A port lost to another process before the server listened is retried on a
 * new one (tests/server-start.ts says why), unless the test chose PORT itself.
 */
export async function startServer(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestServer & { database: TestDatabase }> {
  const db = database ?? (await createTestDatabase());
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = Number(env.PORT) || (await freePort());
    const started = await startOn(port, env, db, !database);
    if (started) return started;
    if (env.PORT) throw new Error(`port ${port} was taken by another process (EADDRINUSE)`);
  }
  throw new Error("three free ports were each taken by another process before the server could listen");
}

/** null: another process took the port first. */
async function startOn(port: number, env: Record<string, string>, db: TestDatabase, ownsDatabase: boolean): Promise<(TestServer & { database: TestDatabase }) | null> {
  let output = "";
  // Mail that goes to no SMTP server lands in a folder of this server's own, not in ./data/outbox.
  const outbox = path.join(ROOT, ".tmp", `outbox-${randomBytes(6).toString("hex")}`);
  const child = spawn(process.execPath, ["scripts/start.mjs", "--no-build"], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, MAIL_OUTBOX_DIR: outbox, DATABASE_URL: db.url, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  if ((await untilListening(child, port, () => output)) === "port_taken") {
    rmSync(outbox, { recursive: true, force: true });
    return null;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl: db.url,
    database: db,
    process: child,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      rmSync(outbox, { recursive: true, force: true });
      if (ownsDatabase) await db.drop();
    },
  };
}

interface StoredCookie {
  value: string;
  path: string;
  attributes: string;
}

/**
 * A browser-like client: keeps cookies by name and path (the refresh cookie
 * only travels to /api/auth/*), sends the CSRF header and a same-origin
 * Origin on unsafe methods unless told otherwise.
 */
export class Client {
  readonly cookies = new Map<string, StoredCookie>();
  constructor(readonly base: string, readonly options: { origin?: string | null; csrf?: boolean } = {}) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  /** The raw Set-Cookie line last received for a cookie (to check attributes). */
  setCookieLine(name: string): string | undefined {
    return this.cookies.get(name)?.attributes;
  }

  /** The Cookie header a browser would send to this path ("" when none applies). */
  cookieHeader(pathname: string): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
  }

  async request(method: string, pathname: string, init: { json?: unknown; body?: string; headers?: Record<string, string> } = {}) {
    const headers = new Headers(init.headers);
    const jar = this.cookieHeader(pathname);
    if (jar && !headers.has("cookie")) headers.set("cookie", jar);
    const unsafe = !["GET", "HEAD"].includes(method);
    if (unsafe && this.options.csrf !== false && this.cookie("csrf_token") && !headers.has("x-csrf-token")) {
      headers.set("x-csrf-token", this.cookie("csrf_token")!);
    }
    if (unsafe && this.options.origin !== null && !headers.has("origin")) headers.set("origin", this.options.origin ?? this.base);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const res = await fetch(this.base + pathname, { method, headers, body, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const parsed = parseSetCookie(line);
      if (parsed.maxAge === 0 || parsed.value === "") this.cookies.delete(parsed.name);
      else this.cookies.set(parsed.name, { value: parsed.value ?? "", path: parsed.path ?? "/", attributes: line });
    }
    const text = await res.text();
    let data: any = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    return { status: res.status, headers: res.headers, data, setCookies: res.headers.getSetCookie() };
  }

  /**
   * A top-level navigation as a browser makes it (Sec-Fetch-Mode: navigate,
   * same-origin), over node:http: fetch always says `Sec-Fetch-Mode: cors`.
   * The page-load hand-off rotates only for these (issue 10, item 3).
   */
  async navigate(pathname: string, headers: Record<string, string> = {}) {
    const jar = this.cookieHeader(pathname);
    const res = await rawRequest(this.base, "GET", pathname, {
      headers: { accept: "text/html", "sec-fetch-mode": "navigate", "sec-fetch-site": "same-origin", "sec-fetch-dest": "document", ...(jar ? { cookie: jar } : {}), ...headers },
    });
    const setCookies = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
    for (const line of setCookies) {
      const parsed = parseSetCookie(line);
      if (parsed.maxAge === 0 || parsed.value === "") this.cookies.delete(parsed.name);
      else this.cookies.set(parsed.name, { value: parsed.value ?? "", path: parsed.path ?? "/", attributes: line });
    }
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) for (const v of ([] as string[]).concat(value)) out.append(name, v);
    let data: any = res.body;
    try {
      data = res.body ? JSON.parse(res.body) : null;
    } catch {
      // HTML (the hand-off page) or empty: kept as text.
    }
    return { status: res.status, headers: out, data, setCookies };
  }

  get(p: string, init?: Parameters<Client["request"]>[2]) {
    return this.request("GET", p, init);
  }
  post(p: string, json?: unknown, init: Parameters<Client["request"]>[2] = {}) {
    return this.request("POST", p, { ...init, json });
  }
  put(p: string, json?: unknown, init: Parameters<Client["request"]>[2] = {}) {
    return this.request("PUT", p, { ...init, json });
  }
  patch(p: string, json?: unknown, init: Parameters<Client["request"]>[2] = {}) {
    return this.request("PATCH", p, { ...init, json });
  }
  delete(p: string, init?: Parameters<Client["request"]>[2]) {
    return this.request("DELETE", p, init);
  }
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request over node:http, for what fetch will not send: a body on GET,
 * a chunked body (no Content-Length) on any method, a path exactly as typed.
 */
export function rawRequest(
  base: string,
  method: string,
  pathname: string,
  init: { headers?: Record<string, string>; body?: string; chunked?: boolean } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  const headers = { ...init.headers };
  if (init.body !== undefined) headers[init.chunked ? "transfer-encoding" : "content-length"] = init.chunked ? "chunked" : String(Buffer.byteLength(init.body));
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: pathname, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    // A server that answers before reading the whole body may hang up on the
    // rest, which the client can see as a reset: only no answer at all fails.
    req.on("error", (error) => setTimeout(() => reject(error), 1000));
    const body = init.body ?? "";
    for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.slice(i, i + 16 * 1024));
    req.end();
  });
}

let counter = 0;
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}@example.com`;
}

export const PASSWORD = "correct horse battery staple";

export async function registered(base: string, email = uniqueEmail(), password = PASSWORD) {
  const client = new Client(base);
  const res = await client.post("/api/auth/register", { email, password, name: "Test" });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.data)}`);
  return { client, email, password, user: res.data.user, session: res.data.session };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
