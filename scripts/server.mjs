// The production HTTP server: Next's request handler behind a plain Node
// server, for three things `next start` cannot do — tell route handlers the
// real peer address (rate limits), strip internal headers a client must never
// set, and shut down gracefully on SIGTERM.
import http from "node:http";
import next from "next";
import { shutdownTimeoutMs } from "./shutdown-timeout.mjs";

const PEER_HEADER = "x-fresh-auth-peer";
// Next's own internal headers: honoured from outside they have let requests
// skip middleware (CVE-2025-29927: x-middleware-subrequest) or steer routing,
// caching and revalidation. Next 16 is patched and filters several itself;
// stripping every header of these families before Next sees the request is
// defence in depth. Browser-facing ones (RSC, Next-Router-*, Next-Action) are
// not internal and stay.
const INTERNAL_PREFIXES = ["x-middleware-", "x-invoke-", "x-nextjs-", "x-next-", "x-prerender-"];
const INTERNAL_HEADERS = new Set([PEER_HEADER, "x-matched-path", "x-now-route-matches", "next-resume"]);
const isInternal = (name) => INTERNAL_HEADERS.has(name) || INTERNAL_PREFIXES.some((prefix) => name.startsWith(prefix));
// Methods the app answers. Others never reach Next: TRACE makes its Request
// constructor throw (a bare text/plain 500) and WebDAV verbs get an empty 400,
// where the contract wants the JSON error shape.
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * A path with a malformed percent-escape (`%ZZ`, a truncated or overlong
 * UTF-8 sequence) makes Next throw while decoding route params: a text/plain
 * 500 on every /api route. No route has such a path, so it is refused here.
 * Only the path counts; Next parses the query without throwing.
 */
function hasMalformedEscape(path) {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Answers before Next sees the request; nosniff, as next.config.js gives every response. */
function answer(res, status, headers, body) {
  res.writeHead(status, { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers });
  res.end(body);
}
const apiError = (res, status, error, description, headers = {}) =>
  answer(res, status, { "Content-Type": "application/json", ...headers }, JSON.stringify({ error, description }));

// How long, and how much, a connection whose request body was refused unread
// is drained before it is closed (see closeIfBodyUnread).
const LINGER_MS = 2000;
const LINGER_BYTES = 1024 * 1024;

/**
 * A response that starts before its request body was read to the end (a 413
 * on a chunked body, a 415, a 405) leaves the rest of that body on the
 * connection. Next has stopped reading it, so the connection would sit there
 * (the client's next request on it hangs), and behind a keep-alive proxy the
 * leftover bytes are where request desync starts. Such a response says
 * `Connection: close`; then, like a lingering close, our side is shut and up
 * to LINGER_BYTES / LINGER_MS of the body are read and thrown away before the
 * socket is destroyed, so a client still sending gets to read the answer
 * instead of a reset. Nothing after the refused body is ever parsed.
 */
function closeIfBodyUnread(req, res) {
  const writeHead = res.writeHead;
  // Captured now: Next may have destroyed the request stream by the time it answers.
  const socket = req.socket;
  res.writeHead = function (...args) {
    if (!req.complete) {
      this.setHeader("Connection", "close");
      lingerOnClose(socket);
    }
    return writeHead.apply(this, args);
  };
}

function lingerOnClose(socket) {
  // Node's server calls destroySoon() once a `Connection: close` response is
  // sent; replace it for this one socket with the lingering version.
  socket.destroySoon = function lingeringClose() {
    let drained = 0;
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    socket.on("data", (chunk) => {
      drained += chunk.length;
      if (drained > LINGER_BYTES) socket.destroy();
    });
    socket.end();
  };
}

// With an https APP_URL the browser is told to use nothing else for a year:
// no first plain-http request for a network attacker to answer (or to plant
// plain cookies through). Subdomains of the app's host are included; the
// parent domain and its other children are not touched.
const HSTS = "max-age=31536000; includeSubDomains";

export async function serve({ port, hostname = "0.0.0.0", dev = false, log = console.log }) {
  const hsts = process.env.APP_URL?.startsWith("https:") ?? false;
  const app = next({ dev, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  let closing = false;
  const server = http.createServer((req, res) => {
    // A request that arrives on a kept-alive connection during shutdown is
    // served, and its connection closed after it.
    if (closing) res.setHeader("Connection", "close");
    closeIfBodyUnread(req, res);
    if (hsts) res.setHeader("Strict-Transport-Security", HSTS);
    // Node lower-cases header names, and Next builds each request from req.headers.
    for (const name of Object.keys(req.headers)) if (isInternal(name)) delete req.headers[name];
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "unknown";
    if (!KNOWN_METHODS.has(req.method ?? "")) {
      return apiError(res, 405, "method_not_allowed", "This method is not allowed here.", { Allow: [...KNOWN_METHODS].join(", ") });
    }
    const url = req.url ?? "/";
    // Both checks are for odd paths; a common request pays two scans of its URL.
    if (url.includes("%") || url.includes("//")) {
      const path = url.split("?", 1)[0];
      const api = path === "/api" || path.startsWith("/api/");
      if (hasMalformedEscape(path)) {
        // Unknown /api paths are the contract's JSON 404; people get a plain 400.
        if (api) return apiError(res, 404, "not_found", "Nothing here.");
        return answer(res, 400, { "Content-Type": "text/plain; charset=utf-8" }, "Bad Request: malformed percent-escape in the path.");
      }
      // Next answers a repeated slash with a text 308 to the collapsed path.
      // No API path has an empty segment, so it is the API's 404 (pages keep
      // Next's redirect, which also keeps //evil.example on this site).
      if (api && path.includes("//")) return apiError(res, 404, "not_found", "Nothing here.");
    }
    handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  log(`Fresh Auth listening on http://localhost:${port} (pid ${process.pid})`);

  const shutdown = (signal) => {
    if (closing) return;
    closing = true;
    const started = Date.now();
    // close() stops accepting at once and calls back when every connection is
    // gone. Connections busy now turn idle (keep-alive) when their response is
    // sent; closing idle ones on a short beat lets the exit follow the last
    // response instead of waiting for keepAliveTimeout.
    server.close(async () => {
      clearInterval(beat);
      // Hand the pooled database connections back cleanly (lib/db.ts keeps
      // the client on globalThis); never let that delay the exit for long.
      const db = globalThis.freshAuthDb;
      if (db) await Promise.race([db.$disconnect().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
      log(`stopped after ${Date.now() - started} ms`);
      process.exit(0);
    });
    const beat = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    // Logged after close(), so whoever reads it knows new connections are refused.
    log(`${signal}: refusing new connections, finishing requests in flight`);
    // A request that is still running after this is cut off: exit 1 says so.
    const timeoutMs = shutdownTimeoutMs();
    setTimeout(() => {
      log(`requests still running after ${timeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, timeoutMs).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  return server;
}
