// A server of a spec's own, for what the shared e2e server's configuration
// rules out (rate limits on; a normal access-token life): the same production
// build and start script, on a free port and a throwaway SQLite file.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { freePort, stopChild, untilListening } from "../tests/server-start";

/**
 * `env` is the server's whole configuration: give it to an AuthKit to mint states for this server.
 *
 * A port lost to another process before the server listened is tried again
 * on a new one (tests/server-start.ts says why).
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
  const removeFile = () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  };
  if ((await untilListening(child, port, () => output)) === "port_taken") {
    removeFile();
    return null;
  }
  return {
    base: `http://localhost:${port}`,
    env: serverEnv,
    stop: async () => {
      await stopChild(child);
      removeFile();
    },
  };
}
