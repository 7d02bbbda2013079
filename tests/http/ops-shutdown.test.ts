// Graceful shutdown (issue 5, operations): on SIGTERM the server stops taking
// connections at once, finishes the requests in flight, and exits 0 without
// waiting for idle keep-alive connections. Runs on SQLite and on PostgreSQL.
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { test } from "node:test";
import { registered, sleep, startServer } from "./harness";
import { loginInFlight } from "./in-flight";

/** Resolves true when a TCP connection to `port` is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });
}

/** A keep-alive connection left idle in the server, as browsers and balancers leave them. */
function idleKeepAlive(url: string): Promise<http.Agent> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    http.get(`${url}/api/health`, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(agent));
    }).on("error", reject);
  });
}

test("SIGTERM: a request in flight completes, new connections are refused, the process exits 0", async (t) => {
  const server = await startServer();
  try {
    const { email, password } = await registered(server.url);
    const port = Number(new URL(server.url).port);
    const agent = await idleKeepAlive(server.url);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      server.process.once("exit", (code) => resolve({ code, at: performance.now() })),
    );

    const login = await loginInFlight(server.url, email, password);
    const signalled = performance.now();
    server.process.kill("SIGTERM");
    for (let i = 0; i < 500 && !/SIGTERM/.test(server.output()); i++) await sleep(20);
    assert.match(server.output(), /SIGTERM/, "the server handled the signal");
    assert.ok(await refused(port), "no new connection is accepted once SIGTERM is handled");
    assert.equal(server.process.exitCode, null, "the server waits for the request in flight");

    login.finish();
    const res = await login.response;
    const answered = performance.now();
    assert.equal(res.status, 200);
    assert.ok(res.setCookies.some((c) => c.startsWith("refresh_token=")), "the signed-in response is whole");
    const exit = await exited;
    assert.equal(exit.code, 0);
    const afterLast = Math.round(exit.at - answered);
    t.diagnostic(`SIGTERM to exit ${Math.round(exit.at - signalled)} ms; exit ${afterLast} ms after the last response`);
    assert.ok(afterLast < 3000, `an idle keep-alive connection held the exit for ${afterLast} ms`);
    agent.destroy();
  } finally {
    await server.stop();
  }
});
