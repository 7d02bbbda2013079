// Graceful shutdown (issue 5, operations): on SIGTERM the server stops taking
// connections at once, finishes the requests in flight, and exits 0 without
// waiting for idle keep-alive connections. Runs on SQLite and on PostgreSQL.
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { test } from "node:test";
import { Client, registered, sleep, startServer } from "./harness";

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

test("SIGTERM: a login in flight completes, new connections are refused, the process exits 0", async (t) => {
  // Cost 13 makes the login's password check take about half a second: a
  // window in which the signal certainly arrives mid-request.
  const server = await startServer({ AUTH_BCRYPT_COST: "13" });
  try {
    const { email, password } = await registered(server.url);
    const port = Number(new URL(server.url).port);
    const agent = await idleKeepAlive(server.url);
    const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));

    const login = new Client(server.url).post("/api/auth/login", { email, password });
    await sleep(100);
    const signalled = performance.now();
    server.process.kill("SIGTERM");
    for (let i = 0; i < 100 && !/SIGTERM/.test(server.output()); i++) await sleep(10);
    assert.ok(await refused(port), "no new connection is accepted once SIGTERM is handled");

    const res = await login;
    const finished = performance.now();
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.ok(res.setCookies.some((c) => c.startsWith("refresh_token=")), "the signed-in response is whole");
    assert.equal(await exited, 0);
    const exitMs = Math.round(performance.now() - signalled);
    t.diagnostic(`exit ${exitMs} ms after SIGTERM (the in-flight login finished at ${Math.round(finished - signalled)} ms)`);
    assert.ok(exitMs < 5000, `an idle keep-alive connection held the exit for ${exitMs} ms`);
    agent.destroy();
  } finally {
    await server.stop();
  }
});
