// The harness itself: a port another process holds must never be mistaken
// for our server. Before startServer() waited for its own process to say it
// listens, any healthy answer on the port counted, so a test could talk to
// another test file's server (and its database) without knowing.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { startServer } from "./harness";

test("a port another process holds, answering a healthy /api/health, is refused, not taken for our server", async () => {
  const impostor = http.createServer((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"ok"}'));
  await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
  const { port } = impostor.address() as AddressInfo;
  try {
    // PORT chosen by the test: no new port to retry on, so the start fails, and says why.
    await assert.rejects(startServer({ PORT: String(port) }), /port \d+ was taken by another process[\s\S]*EADDRINUSE/);
  } finally {
    impostor.close();
  }
});
