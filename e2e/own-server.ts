// A server of a spec's own, for what the shared e2e server's configuration
// rules out (rate limits on; a normal access-token life): the same production
// build and start script, on a free port and a throwaway SQLite file.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `env` is the server's whole configuration: give it to an AuthKit to mint states for this server.
 *
 * freePort() only finds a port that was free a moment ago; another process
 * can take it before this server listens, and would then answer its health
 * check. So the start counts only once THIS process has said it listens on
 * the port, and a port lost meanwhile (EADDRINUSE) is tried again on a new one.
 */
export async function startOwnServer(env: Record<string, string>): Promise<{ base: string; env: Record<string, string>; stop(): Promise<void> }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = await startOn(await freePort(), env);
    if (started) return started;
  }
  throw new Error("three free ports were each taken by another process before the server could listen");
}

/** null: the port was taken by another process before this server could listen. */
async function startOn(port: number, env: Record<string, string>) {
  const file = path.resolve(".tmp", `e2e-own-${process.pid}-${Date.now()}.db`);
  let output = "";
  const serverEnv: Record<string, string> = {
    PORT: String(port),
    DATABASE_URL: `file:${file}`,
    AUTH_SECRET: "e2e-own-secret-0123456789abcdef-0123456789abcdef",
    AUTH_BCRYPT_COST: "4",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    WEB_CONCURRENCY: "1",
    ...env,
  };
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs", "--no-build"], {
    env: { ...process.env, ...serverEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  };
  const base = `http://localhost:${port}`;
  // scripts/server.mjs logs this once it listens.
  const listening = `listening on http://localhost:${port} (`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (output.includes("EADDRINUSE")) {
      await stop();
      return null;
    }
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (output.includes(listening) && (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { base, env: serverEnv, stop };
}
