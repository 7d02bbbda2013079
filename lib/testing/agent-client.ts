// The Playwright side's handle on the testing kit's agent (agent.ts): forks it
// the way the unit tests run the lib, and matches each IPC answer to its
// request. Kept apart from kit.ts, which loads Playwright, so that the agent's
// unit test (agent.test.ts) talks to it through this same client.
import { fork, type ChildProcess } from "node:child_process";
import type { AgentRequest, AgentResponse } from "./protocol";

/** The agent process (agent.ts) and its IPC: one per Playwright worker in kit.ts. */
export class Agent {
  private child: ChildProcess;
  private next = 1;
  private pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly ready: Promise<void>;

  constructor(agentPath: string, env: Record<string, string | undefined>) {
    this.child = fork(agentPath, [], {
      execArgv: ["--conditions=react-server", "--import", "tsx"],
      env: { ...process.env, ...env, NODE_ENV: "test", LOG_LEVEL: "warn" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
      this.child.once("exit", (code) => {
        for (const { reject: fail } of this.pending.values()) fail(new Error(`the auth kit's agent exited (${code})`));
        this.pending.clear();
      });
    });
    this.child.on("message", (message: AgentResponse) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.result);
      else waiter?.reject(new Error(`auth kit: ${message.error}`));
    });
  }

  async call<T>(request: AgentRequest): Promise<T> {
    await this.ready;
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, request });
    });
  }

  stop() {
    this.child.kill();
  }
}
