// The project's fixtures on top of the auth kit (lib/testing): `user` is made
// by the app's own createUser and removed after each test with anything it
// turned into, so tests never depend on each other or on the register form.
// A test that needs a STATE (signed in, not fresh, expired, with a passkey or
// TOTP) asks the kit for it in one line; the forms have their own journeys.
import { randomUUID } from "node:crypto";
import type { BrowserContext, Page, Request } from "@playwright/test";
import Database from "better-sqlite3";
import { expect, test as kitTest, type KitUser } from "../lib/testing/fixtures";
import { EXPIRY_KEY } from "../lib/shared/storage-keys";

export { expect };
export const PASSWORD = "correct horse battery staple";

export type SeededUser = KitUser;

function withDb<T>(work: (db: Database.Database) => T): T {
  const file = process.env.E2E_DB_FILE;
  if (!file) throw new Error("E2E_DB_FILE is not set: run through playwright.config.ts");
  const db = new Database(file, { timeout: 5_000 });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Older `confirmed` events for a user, one per time given (the activity list's paging). */
export function seedEvents(userId: string, times: Date[]) {
  withDb((db) => {
    const insert = db.prepare(`INSERT INTO "SecurityEvent" ("id", "userId", "type", "at", "detail") VALUES (?, ?, 'confirmed', ?, '{"methods":["password"]}')`);
    for (const at of times) insert.run(randomUUID(), userId, at.toISOString());
  });
}

export function userExists(id: string): boolean {
  return withDb((db) => db.prepare(`SELECT 1 FROM "User" WHERE "id" = ?`).get(id) !== undefined);
}

/** Counts API requests by "METHOD /path" (Server Actions as "ACTION /page") from the moment it is called. */
export function countRequests(target: Page | BrowserContext) {
  const seen: string[] = [];
  const listener = (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) seen.push(`${request.method()} ${url.pathname}`);
    // A Server Action is a POST to the page, told apart by Next's header.
    else if (request.headers()["next-action"]) seen.push(`ACTION ${url.pathname}`);
  };
  target.on("request", listener);
  return {
    seen,
    count: (key: string) => seen.filter((entry) => entry === key).length,
    stop: () => target.off("request", listener),
  };
}

/**
 * Counts the page's fetches in flight (API reads, refreshes, Server Actions,
 * Next's prefetches), for readsSettled below. Runs in every document before
 * the page's own scripts.
 */
function countFetches() {
  const state = { inflight: 0, lastActivity: 0, hydratedAt: 0 };
  (window as unknown as { __e2eFetches: typeof state }).__e2eFetches = state;
  const original = window.fetch;
  window.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
    state.inflight += 1;
    state.lastActivity = performance.now();
    const done = () => {
      state.inflight -= 1;
      state.lastActivity = performance.now();
    };
    const sent = original.apply(this, args);
    sent.then(done, done);
    return sent;
  } as typeof fetch;
}

/**
 * Waits until a signed-in page has hydrated and the reads it starts on its
 * own (the sessions list, the activity list, Next's prefetches) have all come
 * back, so that the test's next step is the first to meet a token it changes.
 * Chromium's `networkidle` is not that: on a busy machine it fires while the
 * scripts are still being compiled, before hydration has sent a single read,
 * and a read sent after the test expired the token renews it first.
 * Hydrated: the header's SessionHint has told the wrapper when the token
 * expires (a layout effect). SWR sends its reads a frame later, so the page
 * must then stay quiet for QUIET_MS with nothing in flight.
 */
export async function readsSettled(page: Page): Promise<void> {
  const QUIET_MS = 300;
  await page.waitForFunction(
    ({ key, quietMs }) => {
      const fetches = (window as unknown as { __e2eFetches?: { inflight: number; lastActivity: number; hydratedAt: number } }).__e2eFetches;
      if (!fetches) throw new Error("readsSettled needs the fixtures' context (e2e/fixtures.ts counts fetches there)");
      if (localStorage.getItem(key) === null) return false;
      fetches.hydratedAt ||= performance.now();
      return fetches.inflight === 0 && performance.now() - Math.max(fetches.lastActivity, fetches.hydratedAt) >= quietMs;
    },
    { key: EXPIRY_KEY, quietMs: QUIET_MS },
    { polling: 50 },
  );
}

/** A context made by hand (a second device, a context without the fixture) gets the same fetch counter. */
export async function countFetchesIn(context: BrowserContext): Promise<void> {
  await context.addInitScript(countFetches);
}

interface Fixtures {
  /** A user made by the kit ("Ada Lovelace", PASSWORD), removed after the test. */
  user: SeededUser;
  /** E-mails a test creates (register, change e-mail): cleaned up afterwards. */
  cleanup: string[];
}

export const test = kitTest.extend<Fixtures>({
  context: async ({ context }, use) => {
    await countFetchesIn(context);
    await use(context);
  },
  cleanup: async ({ kit }, use) => {
    const emails: string[] = [];
    await use(emails);
    await kit.cleanup(emails);
  },
  user: async ({ kit }, use) => {
    await use(await kit.createUser({ name: "Ada Lovelace", password: PASSWORD }));
  },
});
