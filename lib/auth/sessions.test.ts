// Rotation, reuse detection and revocation against a real, migrated SQLite file.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { rejectsWith, setTestEnv, sleep, tempDir } from "../test-utils";

const temp = tempDir("fa-sessions-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL, AUTH_REFRESH_REUSE_GRACE: "10s" });

let sessions: typeof import("./sessions");
let tokens: typeof import("./tokens");
let users: typeof import("./users");
let guard: typeof import("./guard");
let config: typeof import("../config");
let db: typeof import("../db");

before(async () => {
  const { migrate } = await import("../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  config = await import("../config");
  db = await import("../db");
  users = await import("./users");
  tokens = await import("./tokens");
  sessions = await import("./sessions");
  guard = await import("./guard");
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

let userCount = 0;

/** A new user with a new sign-in, and the verified claims of its refresh token. */
async function signIn() {
  const user = await users.createUser({ email: `user${++userCount}@example.com`, password: "correct horse battery", name: "Test" });
  const issued = await sessions.createSession(user.id, "unit-test", undefined, user.credentialVersion);
  assert.ok(issued.refresh, "createSession returns a refresh token");
  const claims = await tokens.verifyToken(issued.refresh, "refresh");
  return { user, issued, claims };
}

const row = (sessionId: string) =>
  db.getDb().session.findUnique({
    where: { id: sessionId },
    select: { currentJti: true, parentJti: true, revokedAt: true, revokedReason: true },
  });

async function rotate(claims: Awaited<ReturnType<typeof signIn>>["claims"]) {
  const issued = await sessions.rotateRefreshToken(claims);
  assert.ok(issued.refresh, "rotation returns a refresh token");
  return { issued, claims: await tokens.verifyToken(issued.refresh, "refresh") };
}

describe("createSession", () => {
  test("issues a fresh access token and a refresh token naming the session's current jti", async () => {
    const { user, issued, claims } = await signIn();
    assert.equal(claims.sub, user.id);
    assert.equal(claims.sid, issued.view.id);
    assert.equal((await row(claims.sid))?.currentJti, claims.jti);
    const access = await tokens.verifyToken(issued.access, "access");
    assert.equal(access.fresh, true);
    assert.equal(access.sid, claims.sid);
    assert.equal(issued.view.fresh, true);
    assert.notEqual(issued.view.freshUntil, null);
    assert.ok(issued.csrf.length > 0);
  });
});

describe("rotateRefreshToken", () => {
  test("rotating once gives a new jti and a non-fresh access token", async () => {
    const { claims } = await signIn();
    const child = await rotate(claims);
    assert.notEqual(child.claims.jti, claims.jti);
    assert.equal(child.claims.sid, claims.sid);
    const access = await tokens.verifyToken(child.issued.access, "access");
    assert.equal(access.fresh, false);
    assert.equal(child.issued.view.fresh, false);
    assert.equal(child.issued.view.freshUntil, null);
    const state = await row(claims.sid);
    assert.equal(state?.currentJti, child.claims.jti);
    assert.equal(state?.parentJti, claims.jti);
  });

  test("the parent within the grace gets the CURRENT jti re-issued, not a new child", async () => {
    const { claims } = await signIn();
    const child = await rotate(claims);
    const again = await rotate(claims);
    assert.equal(again.claims.jti, child.claims.jti);
    const state = await row(claims.sid);
    assert.equal(state?.currentJti, child.claims.jti);
    assert.equal(state?.parentJti, claims.jti);
    assert.equal(state?.revokedAt, null);
    assert.equal((await tokens.verifyToken(again.issued.access, "access")).fresh, false);
    // The family did not fork: the current token still rotates normally.
    const grandchild = await rotate(child.claims);
    assert.notEqual(grandchild.claims.jti, child.claims.jti);
  });

  test("the parent after the grace is token_revoked and ends the whole session", async () => {
    process.env.AUTH_REFRESH_REUSE_GRACE = "1s";
    config.resetConfigForTests();
    try {
      const { issued, claims } = await signIn();
      const child = await rotate(claims);
      await sleep(1300);
      await rejectsWith(sessions.rotateRefreshToken(claims), "token_revoked");
      const state = await row(claims.sid);
      assert.ok(state?.revokedAt, "the session was not revoked");
      // The victim's current token and access token die with it.
      await rejectsWith(sessions.rotateRefreshToken(child.claims), "token_revoked");
      const access = await tokens.verifyToken(issued.access, "access");
      await rejectsWith(guard.loadLiveSession(access), "token_revoked");
    } finally {
      process.env.AUTH_REFRESH_REUSE_GRACE = "10s";
      config.resetConfigForTests();
    }
  });

  test("a grandparent is token_revoked and ends the session, even within the grace", async () => {
    const { claims } = await signIn();
    const child = await rotate(claims);
    const grandchild = await rotate(child.claims);
    await rejectsWith(sessions.rotateRefreshToken(claims), "token_revoked");
    assert.ok((await row(claims.sid))?.revokedAt);
    await rejectsWith(sessions.rotateRefreshToken(grandchild.claims), "token_revoked");
  });

  test("20 concurrent rotations of one token: one new jti, everyone gets it, no other errors", async () => {
    const { claims } = await signIn();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => sessions.rotateRefreshToken(claims)));
    for (const result of results) {
      if (result.status === "rejected") {
        assert.equal((result.reason as Error)?.name, "AuthError", `unexpected ${String(result.reason)}`);
      }
    }
    const state = await row(claims.sid);
    assert.notEqual(state?.currentJti, claims.jti);
    assert.equal(state?.parentJti, claims.jti, "more than one rotation happened");
    assert.equal(state?.revokedAt, null, "a simultaneous use within the grace revoked the session");
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    assert.equal(fulfilled.length, 20, "every concurrent use within the grace should succeed");
    const jtis = new Set<string>();
    for (const result of fulfilled) jtis.add((await tokens.verifyToken(result.value.refresh!, "refresh")).jti);
    assert.deepEqual([...jtis], [state?.currentJti]);
  });

  test("a revoked session refuses rotation", async () => {
    const { claims } = await signIn();
    await sessions.revokeSession(claims.sid, "logout");
    await rejectsWith(sessions.rotateRefreshToken(claims), "token_revoked");
    assert.equal((await row(claims.sid))?.revokedReason, "logout");
  });

  test("a token naming another user's session is refused and does not rotate it", async () => {
    const victim = await signIn();
    const attacker = await signIn();
    await rejectsWith(sessions.rotateRefreshToken({ ...victim.claims, sub: attacker.user.id }), "token_revoked");
    assert.equal((await row(victim.claims.sid))?.currentJti, victim.claims.jti);
  });

  test("an unknown session is token_revoked", async () => {
    const { claims } = await signIn();
    await rejectsWith(sessions.rotateRefreshToken({ ...claims, sid: "no-such-session" }), "token_revoked");
  });
});

describe("revocation", () => {
  test("revokeOtherSessions keeps only the given session", async () => {
    const { user, claims } = await signIn();
    const second = await sessions.createSession(user.id, "other device");
    const third = await sessions.createSession(user.id, "third device");
    assert.equal(await sessions.revokeOtherSessions(user.id, claims.sid, "password_changed"), 2);
    assert.equal((await row(claims.sid))?.revokedAt, null);
    assert.ok((await row(second.view.id))?.revokedAt);
    assert.ok((await row(third.view.id))?.revokedAt);
    assert.deepEqual((await sessions.listSessions(user.id, claims.sid)).map((s) => [s.id, s.current]), [[claims.sid, true]]);
  });

  test("revokeUserSession only touches the user's own sessions", async () => {
    const a = await signIn();
    const b = await signIn();
    assert.equal(await sessions.revokeUserSession(a.user.id, b.claims.sid, "x"), false);
    assert.equal((await row(b.claims.sid))?.revokedAt, null);
    assert.equal(await sessions.revokeUserSession(a.user.id, a.claims.sid, "x"), true);
    assert.equal(await sessions.revokeUserSession(a.user.id, a.claims.sid, "x"), false);
  });

  test("refreshFreshness gives a fresh access token and keeps the refresh token", async () => {
    const { claims } = await signIn();
    const child = await rotate(claims);
    const renewed = await sessions.refreshFreshness(claims.sid);
    assert.equal(renewed.refresh, undefined);
    assert.equal((await tokens.verifyToken(renewed.access, "access")).fresh, true);
    assert.equal((await row(claims.sid))?.currentJti, child.claims.jti);
  });
});

describe("an ended session refuses its access tokens at once (loadLiveSession)", () => {
  const accessOf = async (issued: { access: string }) => tokens.verifyToken(issued.access, "access");

  test("a live session loads its user", async () => {
    const { user, issued } = await signIn();
    const live = await guard.loadLiveSession(await accessOf(issued));
    const { credentialVersion: _version, ...publicUser } = user;
    assert.deepEqual(live.user, publicUser);
    assert.ok(live.expiresAt instanceof Date && live.expiresAt.getTime() > Date.now());
  });

  test("revoked, expired, deleted-user and wrong-user sessions are token_revoked", async () => {
    const revoked = await signIn();
    await sessions.revokeSession(revoked.claims.sid, "logout");
    await rejectsWith(guard.loadLiveSession(await accessOf(revoked.issued)), "token_revoked");

    const expired = await signIn();
    await db.getDb().session.update({ where: { id: expired.claims.sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await rejectsWith(guard.loadLiveSession(await accessOf(expired.issued)), "token_revoked");
    await rejectsWith(sessions.rotateRefreshToken(expired.claims), "token_revoked");

    const deleted = await signIn();
    await users.deleteUser(deleted.user.id);
    assert.equal(await row(deleted.claims.sid), null, "the user's sessions outlive the user (no ON DELETE CASCADE?)");
    await rejectsWith(guard.loadLiveSession(await accessOf(deleted.issued)), "token_revoked");
    await rejectsWith(sessions.rotateRefreshToken(deleted.claims), "token_revoked");

    const a = await signIn();
    const b = await signIn();
    await rejectsWith(guard.loadLiveSession({ sid: a.claims.sid, sub: b.user.id }), "token_revoked");
    await rejectsWith(guard.loadLiveSession({ sid: "no-such-session", sub: a.user.id }), "token_revoked");
  });
});

describe("credential version (issue 10 items 2 and 4)", () => {
  const accessOf = async (issued: { access: string }) => tokens.verifyToken(issued.access, "access");

  test("a password change re-stamps this session with a new refresh token; a session created under the old version is refused", async () => {
    const { user, issued, claims } = await signIn();
    const racing = await sessions.createSession(user.id, "login that checked the old password", undefined, 0);
    const renewed = await sessions.renewAfterPasswordChange({ userId: user.id, sessionId: claims.sid, passwordHash: "x", checkedVersion: 0 });
    assert.ok(renewed.refresh);
    const renewedClaims = await tokens.verifyToken(renewed.refresh!, "refresh");
    assert.notEqual(renewedClaims.jti, claims.jti, "a new jti");
    // This session goes on with its new tokens; its old access token is superseded.
    assert.equal((await guard.loadLiveSession(await accessOf(renewed))).user.id, user.id);
    await assert.rejects(guard.loadLiveSession(await accessOf(issued)), { code: "token_expired" });
    // The racing sign-in is behind: refused on both paths.
    await assert.rejects(guard.loadLiveSession(await accessOf(racing)), { code: "token_revoked" });
    await assert.rejects(sessions.rotateRefreshToken(await tokens.verifyToken(racing.refresh!, "refresh")), { code: "token_revoked" });
    // The old refresh token has no grace: it is reuse.
    await assert.rejects(sessions.rotateRefreshToken(claims), { code: "token_revoked" });
  });

  test("a change checked under a version that has moved on is refused, and changes nothing", async () => {
    const { user, claims } = await signIn();
    await sessions.renewAfterPasswordChange({ userId: user.id, sessionId: claims.sid, passwordHash: "first", checkedVersion: 0 });
    await assert.rejects(sessions.renewAfterPasswordChange({ userId: user.id, sessionId: claims.sid, passwordHash: "second", checkedVersion: 0 }), { code: "token_revoked" });
    assert.equal((await users.findPasswordHash(user.id))?.passwordHash, "first");
  });

  test("a session for a user deleted meanwhile is invalid_credentials", async () => {
    const { user } = await signIn();
    await users.deleteUser(user.id);
    await assert.rejects(sessions.createSession(user.id, "too late"), { code: "invalid_credentials" });
  });
});
