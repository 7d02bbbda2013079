import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { setTestEnv } from "../test-utils";

setTestEnv({ AUTH_BCRYPT_COST: "4" });

let password: typeof import("./password");

before(async () => {
  password = await import("./password");
});

describe("hashPassword and verifyPassword", () => {
  test("the right password verifies, a wrong one does not", async () => {
    const hash = await password.hashPassword("correct horse battery staple");
    assert.equal(await password.verifyPassword("correct horse battery staple", hash), true);
    assert.equal(await password.verifyPassword("correct horse battery stapler", hash), false);
    assert.equal(await password.verifyPassword("", hash), false);
  });

  test("the hash is bcrypt at AUTH_BCRYPT_COST and never contains the password", async () => {
    const hash = await password.hashPassword("hunter2hunter2");
    assert.match(hash, /^\$2[aby]\$04\$/);
    assert.ok(!hash.includes("hunter2"));
  });

  test("the same password hashes differently each time (salted)", async () => {
    const [a, b] = await Promise.all([password.hashPassword("same password"), password.hashPassword("same password")]);
    assert.notEqual(a, b);
  });

  test("passwords identical in their first 72 bytes but different after are told apart", async () => {
    const prefix = "a".repeat(72);
    const hash = await password.hashPassword(`${prefix}-first`);
    assert.equal(await password.verifyPassword(`${prefix}-first`, hash), true);
    assert.equal(await password.verifyPassword(`${prefix}-second`, hash), false);
    assert.equal(await password.verifyPassword(prefix, hash), false);
  });

  test("multi-byte characters past byte 72 count too", async () => {
    const prefix = "€".repeat(24); // 72 bytes in UTF-8
    const hash = await password.hashPassword(`${prefix}x`);
    assert.equal(await password.verifyPassword(`${prefix}y`, hash), false);
    assert.equal(await password.verifyPassword(`${prefix}x`, hash), true);
  });

  test("a NUL byte does not end the password", async () => {
    const hash = await password.hashPassword("password\u0000one");
    assert.equal(await password.verifyPassword("password\u0000two", hash), false);
    assert.equal(await password.verifyPassword("password", hash), false);
  });

  test('composed and decomposed "é" are the same password (NFKC)', async () => {
    const composed = "caf\u00e9 au lait";
    const decomposed = "cafe\u0301 au lait";
    assert.notEqual(composed, decomposed);
    const hash = await password.hashPassword(composed);
    assert.equal(await password.verifyPassword(decomposed, hash), true);
    const hash2 = await password.hashPassword(decomposed);
    assert.equal(await password.verifyPassword(composed, hash2), true);
  });
});

describe("passwordSchema", () => {
  const ok = (value: string) => password.passwordSchema.safeParse(value).success;

  test("7 characters are refused, 8 accepted", () => {
    assert.equal(ok("1234567"), false);
    assert.equal(ok("12345678"), true);
    assert.equal(ok(""), false);
  });

  test("long passwords are accepted (64, 200 and 1024 characters)", () => {
    assert.equal(ok("x".repeat(64)), true);
    assert.equal(ok("x".repeat(200)), true);
    assert.equal(ok("x".repeat(1024)), true);
  });

  test("emoji count as one character each (code points, not UTF-16 units)", () => {
    assert.equal(ok("😀".repeat(4)), false, "4 emoji are 8 UTF-16 units but 4 characters");
    assert.equal(ok("😀".repeat(8)), true);
    assert.equal(ok("😀".repeat(200)), true);
    assert.equal(ok("😀".repeat(1024)), true, "1024 characters, 2048 UTF-16 units");
    assert.equal(ok("😀".repeat(1025)), false);
  });

  test("1025 characters and more are refused", () => {
    assert.equal(ok("x".repeat(1025)), false);
    assert.equal(ok("x".repeat(64 * 1024)), false);
  });

  test("a body-sized password is refused without real work", () => {
    // Not a benchmark: a bound a hundred times above the expected cost, so it
    // only trips if validation starts hashing or doing quadratic work.
    const huge = "x".repeat(64 * 1024);
    const started = performance.now();
    for (let i = 0; i < 5; i++) assert.equal(ok(huge), false);
    assert.ok(performance.now() - started < 2000, "five 64 KB passwords took more than 2 s to refuse");
  });

  test("the parsed value is NFKC-normalised", () => {
    const parsed = password.passwordSchema.parse("cafe\u0301 au lait");
    assert.equal(parsed, "caf\u00e9 au lait");
  });

  test("non-strings are refused", () => {
    for (const value of [undefined, null, 12345678, ["12345678"], { length: 8 }]) {
      assert.equal(password.passwordSchema.safeParse(value).success, false);
    }
  });
});

describe("verifyAgainstDummy", () => {
  test("always returns false, even for the dummy's own password", async () => {
    assert.equal(await password.verifyAgainstDummy("any password at all"), false);
    assert.equal(await password.verifyAgainstDummy("fresh-auth dummy password, never matches"), false);
  });
});
