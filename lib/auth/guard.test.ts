import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { setTestEnv } from "../test-utils";

setTestEnv({ AUTH_FRESH_TTL: "10m" });

let guard: typeof import("./guard");

before(async () => {
  guard = await import("./guard");
});

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const TEN_MINUTES = 600;

/** Access claims whose password check was `secondsAgo` before NOW. */
function claims(fresh: boolean, secondsAgo: number) {
  const now = NOW / 1000;
  return {
    sub: "user-1",
    sid: "session-1",
    jti: "jti-1",
    iat: now - 1,
    exp: now + 900,
    iss: "fresh-auth" as const,
    aud: "fresh-auth" as const,
    type: "access" as const,
    fresh,
    auth_time: now - secondsAgo,
    amr: ["password" as const],
  };
}

describe("isFresh", () => {
  test("fresh within the window", () => {
    assert.equal(guard.isFresh(claims(true, 0), TEN_MINUTES, NOW), true);
    assert.equal(guard.isFresh(claims(true, 599), TEN_MINUTES, NOW), true);
  });

  test("not fresh once the window has passed", () => {
    assert.equal(guard.isFresh(claims(true, 600), TEN_MINUTES, NOW), false);
    assert.equal(guard.isFresh(claims(true, 3600), TEN_MINUTES, NOW), false);
  });

  test("fresh:false is never fresh, however recent the password check", () => {
    assert.equal(guard.isFresh(claims(false, 0), TEN_MINUTES, NOW), false);
    assert.equal(guard.isFresh(claims(false, -30), TEN_MINUTES, NOW), false);
  });

  test("a shorter route window refuses a token the configured window accepts", () => {
    const fourMinutesAgo = claims(true, 240);
    assert.equal(guard.isFresh(fourMinutesAgo, TEN_MINUTES, NOW), true);
    assert.equal(guard.isFresh(fourMinutesAgo, 300, NOW), true);
    assert.equal(guard.isFresh(fourMinutesAgo, 180, NOW), false);
  });

  test("defaults to the current time", () => {
    const recent = { ...claims(true, 0), auth_time: Math.floor(Date.now() / 1000) - 10 };
    assert.equal(guard.isFresh(recent, TEN_MINUTES), true);
    assert.equal(guard.isFresh(recent, 5), false);
  });
});

describe("freshPolicy", () => {
  test("true is the configured window at level any; a number asks for less, never more", () => {
    assert.deepEqual(guard.freshPolicy(true), { maxAge: TEN_MINUTES, level: "any" });
    assert.deepEqual(guard.freshPolicy(300), { maxAge: 300, level: "any" });
    assert.deepEqual(guard.freshPolicy(3600), { maxAge: TEN_MINUTES, level: "any" });
  });

  test("an object names the window and the level", () => {
    assert.deepEqual(guard.freshPolicy({ maxAge: 300, level: "multi_factor" }), { maxAge: 300, level: "multi_factor" });
    assert.deepEqual(guard.freshPolicy({ level: "multi_factor" }), { maxAge: TEN_MINUTES, level: "multi_factor" });
    assert.deepEqual(guard.freshPolicy({ maxAge: 7200 }), { maxAge: TEN_MINUTES, level: "any" });
  });
});
