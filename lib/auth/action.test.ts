// The Server Action guard against a real, migrated SQLite file: the same
// checks as a route handler, answered as values.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { rejectsWith, setTestEnv, tempDir } from "../test-utils";

const temp = tempDir("fa-action-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL, AUTH_FRESH_TTL: "10m" });

let action: typeof import("./action");
let sessions: typeof import("./sessions");
let tokens: typeof import("./tokens");
let users: typeof import("./users");
let db: typeof import("../db");

before(async () => {
  const { migrate } = await import("../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("../db");
  users = await import("./users");
  tokens = await import("./tokens");
  sessions = await import("./sessions");
  action = await import("./action");
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

let count = 0;
async function signedIn() {
  const user = await users.createUser({ email: `action${++count}@example.com`, password: "correct horse battery", name: "A" });
  const issued = await sessions.createSession(user.id, "unit-test");
  return { user, issued };
}

/** An action's POST as a browser sends it: same-origin, with the access cookie. */
function actionRequest(access: string | undefined, headers: Record<string, string> = {}) {
  return new Request("http://app.test/account", {
    method: "POST",
    headers: { host: "app.test", origin: "http://app.test", "sec-fetch-site": "same-origin", ...(access ? { cookie: `access_token=${access}` } : {}), ...headers },
  });
}

describe("authenticateAction", () => {
  test("a live session passes and names its user", async () => {
    const { user, issued } = await signedIn();
    const auth = await action.authenticateAction(actionRequest(issued.access));
    assert.equal(auth.user.id, user.id);
    assert.equal(auth.sessionId, issued.view.id);
  });

  test("no cookie: authorization_required; a revoked session: token_revoked", async () => {
    await rejectsWith(action.authenticateAction(actionRequest(undefined)), "authorization_required");
    const { issued } = await signedIn();
    await sessions.revokeSession(issued.view.id, "test");
    await rejectsWith(action.authenticateAction(actionRequest(issued.access)), "token_revoked");
  });

  test("an expired access token: token_expired (the hook renews and calls again)", async () => {
    const { user, issued } = await signedIn();
    const expired = await tokens.signAccessToken({ userId: user.id, sessionId: issued.view.id, fresh: true, authTime: new Date(), methods: ["password"], expiresAt: new Date(Date.now() - 1000) });
    await rejectsWith(action.authenticateAction(actionRequest(expired)), "token_expired");
  });

  test("fresh: a non-fresh token is refused with maxAge, level and the account's methods", async () => {
    const { user, issued } = await signedIn();
    const stale = await tokens.signAccessToken({ userId: user.id, sessionId: issued.view.id, fresh: false, authTime: new Date(), methods: ["password"], expiresAt: new Date(Date.now() + 60_000) });
    await action.authenticateAction(actionRequest(stale));
    const refusal = await action.authenticateAction(actionRequest(stale), { fresh: true }).catch((error) => action.toFailure(error));
    assert.deepEqual(refusal, { ok: false, error: "fresh_token_required", description: "Confirm it's you to continue.", fields: undefined, maxAge: 600, level: "any", methods: ["password"], retryAfter: undefined });
    await action.authenticateAction(actionRequest(issued.access), { fresh: { maxAge: 300 } });
  });

  test("cross-site or header-less calls are refused before the session is read", async () => {
    const { issued } = await signedIn();
    await rejectsWith(action.authenticateAction(actionRequest(issued.access, { origin: "https://evil.test", "sec-fetch-site": "cross-site" })), "csrf_failed");
    await rejectsWith(action.authenticateAction(actionRequest(issued.access, { origin: "null" })), "csrf_failed");
    const bare = new Request("http://app.test/account", { method: "POST", headers: { host: "app.test", cookie: `access_token=${issued.access}` } });
    await rejectsWith(action.authenticateAction(bare), "csrf_failed");
  });
});
