// A fake browser for the wrapper's unit tests: a scripted server, an in-memory
// cross-tab lock and generation counter, and a log of everything that happened.
import type { ClientEnv } from "./api";
import type { SessionEvent } from "./types";

export interface Call {
  path: string;
  method: string;
  body?: string;
  headers: Record<string, string>;
}

export type Handler = (call: Call) => Response | Promise<Response>;

export const json = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export const apiError = (status: number, error: string, extra: object = {}) => json(status, { error, description: error, ...extra });

export const SESSION = { id: "s1", fresh: false, freshUntil: null, accessExpiresAt: "", refreshExpiresAt: "", authTime: "" };

/** What two tabs of one browser share: the lock and the refresh generation. */
export function createBrowser() {
  let generation = 0;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    generation: { read: () => generation, bump: () => void generation++ },
    withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(task, task);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export function createTab(handler: Handler, browser = createBrowser()) {
  const calls: Call[] = [];
  const events: SessionEvent[] = [];
  let logins = 0;
  const env: ClientEnv = {
    fetch: async (input, init = {}) => {
      const call: Call = { path: String(input), method: init.method ?? "GET", body: init.body as string | undefined, headers: { ...(init.headers as Record<string, string>) } };
      calls.push(call);
      return handler(call);
    },
    readCsrfToken: () => "csrf-value",
    withRefreshLock: browser.withRefreshLock,
    generation: browser.generation,
    goToLogin: () => void logins++,
    notify: (event) => void events.push(event),
    now: () => new Date(0),
  };
  return { env, calls, events, browser, logins: () => logins, count: (path: string) => calls.filter((c) => c.path === path).length };
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
