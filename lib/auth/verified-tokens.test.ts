// The verified-access-token cache must be invisible except in cost: every
// answer it gives is the answer a full verification would give.
import assert from "node:assert/strict";
import { before, mock, test } from "node:test";
import { rejectsWith, setTestEnv, splitJwt } from "../test-utils";

setTestEnv();

let tokens: typeof import("./tokens");
let cache: typeof import("./verified-tokens");

before(async () => {
  tokens = await import("./tokens");
  cache = await import("./verified-tokens");
});

const sign = (expiresInMs: number) =>
  tokens.signAccessToken({ userId: "user-1", sessionId: "session-1", fresh: true, authTime: new Date(), methods: ["password"], expiresAt: new Date(Date.now() + expiresInMs), credentialVersion: 0 });

test("a verified token is remembered and answers with the same claims", async () => {
  const token = await sign(60_000);
  const before = cache.verifiedTokenCount();
  const first = await cache.verifyAccessToken(token);
  assert.equal(cache.verifiedTokenCount(), before + 1);
  const second = await cache.verifyAccessToken(token);
  assert.equal(second, first);
  assert.equal(cache.verifiedTokenCount(), before + 1);
  assert.deepEqual(second, await tokens.verifyToken(token, "access"));
});

test("a remembered token with one byte changed is verified in full and refused", async () => {
  const token = await sign(60_000);
  await cache.verifyAccessToken(token);
  const [header, payload, signature] = splitJwt(token);
  const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
  await rejectsWith(cache.verifyAccessToken(flipped), "invalid_token");
});

test("a remembered token still expires on time", async () => {
  const token = await sign(5_000);
  await cache.verifyAccessToken(token);
  mock.timers.enable({ apis: ["Date"], now: Date.now() + 6_000 });
  try {
    await rejectsWith(cache.verifyAccessToken(token), "token_expired");
  } finally {
    mock.timers.reset();
  }
});

test("refusals are not remembered", async () => {
  const before = cache.verifiedTokenCount();
  await rejectsWith(cache.verifyAccessToken("not.a.token"), "invalid_token");
  await rejectsWith(cache.verifyAccessToken(await tokens.signRefreshToken({ userId: "u", sessionId: "s", jti: "j", expiresAt: new Date(Date.now() + 60_000) })), "invalid_token");
  assert.equal(cache.verifiedTokenCount(), before);
});
