// The production HTTP server: Next's request handler behind a plain Node
// server, for three things `next start` cannot do — tell route handlers the
// real peer address (rate limits), strip internal headers a client must never
// set, and shut down gracefully on SIGTERM.
import http from "node:http";
import next from "next";

const PEER_HEADER = "x-fresh-auth-peer";
// Next's own internal headers: honoured from outside they have let requests
// skip middleware (CVE-2025-29927). Next 16 is patched; this is defence in depth.
const INTERNAL_HEADERS = [PEER_HEADER, "x-middleware-subrequest", "x-middleware-invoke", "x-invoke-path", "x-invoke-query", "x-invoke-output"];

export async function serve({ port, hostname = "0.0.0.0", dev = false, log = console.log }) {
  const app = next({ dev, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    for (const name of INTERNAL_HEADERS) delete req.headers[name];
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
