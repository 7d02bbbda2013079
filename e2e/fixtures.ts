// The project's fixtures on top of the auth kit (lib/testing): `user` is made
// by the app's own createUser and removed after each test with anything it
// turned into, so tests never depend on each other or on the register form.
// A test that needs a STATE (signed in, not fresh, expired, with a passkey or
// TOTP) asks the kit for it in one line; the forms have their own journeys.
import { randomUUID } from "node:crypto";
import type { BrowserContext, Page, Request } from "@playwright/test";
import Database from "better-sqlite3";
import { expect, test as kitTest, type KitUser } from "../lib/testing/fixtures";

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

interface Fixtures {
  /** A user made by the kit ("Ada Lovelace", PASSWORD), removed after the test. */
  user: SeededUser;
  /** E-mails a test creates (register, change e-mail): cleaned up afterwards. */
  cleanup: string[];
}

export const test = kitTest.extend<Fixtures>({
  cleanup: async ({ kit }, use) => {
    const emails: string[] = [];
    await use(emails);
    await kit.cleanup(emails);
  },
  user: async ({ kit }, use) => {
    await use(await kit.createUser({ name: "Ada Lovelace", password: PASSWORD }));
  },
});
