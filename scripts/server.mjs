// The production HTTP server: Next's request handler behind a plain Node
// server, for three things `next start` cannot do — tell route handlers the
// real peer address (rate limits), strip internal headers a client must never
// set, and shut down gracefully on SIGTERM.
import http from "node:http";
import next from "next";

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

export async function serve({ port, hostname = "0.0.0.0", dev = false, log = console.log }) {
  const app = next({ dev, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // Node lower-cases header names, and Next builds each request from req.headers.
    for (const name of Object.keys(req.headers)) if (isInternal(name)) delete req.headers[name];
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "unknown";
    handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  log(`Fresh Auth listening on http://localhost:${port} (pid ${process.pid})`);

  let closing = false;
  const shutdown = (signal) => {
    if (closing) return;
    closing = true;
    log(`${signal}: finishing requests in flight`);
    // close() stops accepting and waits for in-flight requests; idle
    // keep-alive sockets are closed so it does not wait for them.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  return server;
}
