// Starting a test server (scripts/start.mjs) on a port of its own: shared by
// the server suites (tests/http/harness.ts) and the e2e specs that need a
// server of their own (e2e/own-server.ts). No import.meta here: Playwright
// loads e2e files, and so this one, as CommonJS.
import type { ChildProcess } from "node:child_process";
import net from "node:net";

/** A port that was free a moment ago (another process may take it before the server listens: see below). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Ends a server child and waits for it, unless it has already ended. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
}

/**
 * Waits until `child` has said it listens on `port` AND answers
 * /api/health there. The first half matters: a port from freePort() can be
 * taken by another process (another test file's server: several start at
 * once, and each takes seconds to listen), which would then answer the
 * health check, and the test would talk to a server on another database
 * while its own died with EADDRINUSE. Seen in CI.
 *
 * "port_taken": another process had the port; the child has been stopped,
 * and the caller may try again on a new port. Throws if the child exits for
 * any other reason, or is not healthy within `timeoutMs` (stopped then too).
 */
export async function untilListening(child: ChildProcess, port: number, output: () => string, timeoutMs = 60_000): Promise<"listening" | "port_taken"> {
  // scripts/server.mjs logs this once it listens (each worker, in a cluster).
  const listening = `listening on http://localhost:${port} (`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (output().includes("EADDRINUSE")) {
      await stopChild(child);
      return "port_taken";
    }
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    if (output().includes(listening) && (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false))) return "listening";
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`server did not become healthy:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
