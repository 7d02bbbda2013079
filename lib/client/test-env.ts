// A fake browser for the wrapper's unit tests: a scripted server, an in-memory
// cross-tab lock and generation counter, and a log of everything that happened.
import type { ClientEnv } from "./api";
import { createClock } from "./browser-env";
import { createMemoryChannels } from "./channel";
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

/** What two tabs of one browser share: the lock, the clock, and the token clock. */
export function createBrowser() {
  let queue: Promise<unknown> = Promise.resolve();
  let time = 1_000_000;
  let locked = false;
  // The real clock; without localStorage (Node) it keeps to memory, which two
  // fake tabs share by sharing this object.
  const clock = createClock();
  const channel = createMemoryChannels();
  return {
    clock,
    /** Each tab's end of the browser's BroadcastChannel. */
    channel,
    now: () => time,
    advance: (ms: number) => void (time += ms),
    /** True while some tab holds the lock. */
    isLocked: () => locked,
    withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
      const held = async () => {
        locked = true;
        try {
          return await task();
        } finally {
          locked = false;
        }
      };
      const run = queue.then(held, held);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export function createTab(handler: Handler, browser = createBrowser()) {
  const calls: Call[] = [];
  const events: SessionEvent[] = [];
  let logins = 0;
  const reasons: string[] = [];
  const users: string[] = [];
  const env: ClientEnv = {
    fetch: async (input, init = {}) => {
      const call: Call = { path: String(input), method: init.method ?? "GET", body: init.body as string | undefined, headers: { ...(init.headers as Record<string, string>) } };
      calls.push(call);
      return handler(call);
    },
    readCsrfToken: () => "csrf-value",
    withRefreshLock: browser.withRefreshLock,
    clock: browser.clock,
    goToLogin: (reason) => {
      logins++;
      reasons.push(reason);
    },
    notify: (event) => void events.push(event),
    noteUser: (user) => void users.push(user.email),
    tabs: browser.channel(),
    now: () => new Date(browser.now()),
  };
  return { env, calls, events, browser, reasons, users, logins: () => logins, count: (path: string) => calls.filter((c) => c.path === path).length };
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A session body whose access token expires `inMs` after the response's Date header. */
export function sessionAnswer(dateMs: number, inMs: number, extra: object = {}) {
  const date = new Date(Math.floor(dateMs / 1000) * 1000);
  return json(200, { session: { ...SESSION, accessExpiresAt: new Date(date.getTime() + inMs).toISOString() }, ...extra }, { Date: date.toUTCString() });
}
