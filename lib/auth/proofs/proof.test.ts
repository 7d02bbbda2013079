import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeMethods, encodeMethods, meetsLevel } from "./proof";

test("level any: one proof of any kind", () => {
  for (const methods of [["password"], ["passkey"], ["totp"]]) assert.equal(meetsLevel(methods, "any", ["password", "totp"]), true);
  assert.equal(meetsLevel([], "any", ["password"]), false);
});

test("level multi_factor: a passkey, or password plus a code", () => {
  const withTotp = ["password", "passkey", "totp"];
  assert.equal(meetsLevel(["passkey"], "multi_factor", withTotp), true);
  assert.equal(meetsLevel(["password", "totp"], "multi_factor", withTotp), true);
  assert.equal(meetsLevel(["password", "recovery_code"], "multi_factor", withTotp), true);
  assert.equal(meetsLevel(["password"], "multi_factor", withTotp), false);
  assert.equal(meetsLevel(["totp"], "multi_factor", withTotp), false);
});

test("level multi_factor: an account without a second factor confirms with its password", () => {
  assert.equal(meetsLevel(["password"], "multi_factor", ["password"]), true);
  assert.equal(meetsLevel(["password"], "multi_factor", ["password", "passkey"]), true);
});

test("methods survive the round trip through Session.authMethods; junk reads as password", () => {
  assert.deepEqual(decodeMethods(encodeMethods(["password", "totp"])), ["password", "totp"]);
  assert.deepEqual(decodeMethods(""), ["password"]);
  assert.deepEqual(decodeMethods("password,evil"), ["password"]);
});
