// Users are seeded straight into the server's database (the same rows and the
// same password hashing the app uses) and removed after each test, so tests
// never depend on each other or on the register form.
import { createHmac, randomUUID } from "node:crypto";
import { expect, test as base, type BrowserContext, type Page, type Request } from "@playwright/test";
import bcrypt from "bcryptjs";
import Database from "better-sqlite3";

export { expect };
export const PASSWORD = "correct horse battery staple";

export interface SeededUser {
  id: string;
  email: string;
  name: string;
  password: string;
}

/** The pre-hash of lib/auth/bcrypt-worker.mjs; cost 4 as the server is configured. */
function hashPassword(password: string): string {
  const prehash = createHmac("sha256", "fresh-auth/password/v1").update(password.normalize("NFKC")).digest("base64");
  return bcrypt.hashSync(prehash, 4);
}
const PASSWORD_HASH = hashPassword(PASSWORD);

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

export function seedUser(name = "Ada Lovelace"): SeededUser {
  const user = { id: randomUUID(), email: `e2e-${randomUUID().slice(0, 12)}@example.com`, name, password: PASSWORD };
  withDb((db) =>
    db
      .prepare(`INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt") VALUES (?, ?, ?, ?, ?)`)
      .run(user.id, user.email, user.name, PASSWORD_HASH, new Date().toISOString()),
  );
  return user;
}

/** Removes users (and their sessions) by e-mail, including ones a test registered or renamed. */
export function deleteUsers(emails: string[], ids: string[] = []) {
  withDb((db) => {
    const doomed = [
      ...ids,
      ...emails.flatMap((email) => (db.prepare(`SELECT "id" FROM "User" WHERE "email" = ?`).all(email) as { id: string }[]).map((row) => row.id)),
    ];
    for (const id of doomed) {
      db.prepare(`DELETE FROM "Session" WHERE "userId" = ?`).run(id);
      db.prepare(`DELETE FROM "User" WHERE "id" = ?`).run(id);
    }
  });
}

export function userExists(id: string): boolean {
  return withDb((db) => db.prepare(`SELECT 1 FROM "User" WHERE "id" = ?`).get(id) !== undefined);
}

/** Signs a browser context in through the API (the form has its own test): cookies land in the context. */
export async function signIn(context: BrowserContext | Page, user: SeededUser) {
  const response = await context.request.post("/api/auth/login", { data: { email: user.email, password: user.password } });
  expect(response.status(), await response.text()).toBe(200);
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
  /** A seeded user, removed after the test with anything it turned into. */
  user: SeededUser;
  /** E-mails a test creates (register, change e-mail): cleaned up afterwards. */
  cleanup: string[];
}

export const test = base.extend<Fixtures>({
  cleanup: async ({}, use) => {
    const emails: string[] = [];
    await use(emails);
    deleteUsers(emails);
  },
  user: async ({ cleanup }, use) => {
    const user = seedUser();
    await use(user);
    deleteUsers(cleanup, [user.id]);
  },
});
