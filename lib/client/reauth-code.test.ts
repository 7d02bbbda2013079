import assert from "node:assert/strict";
import { test } from "node:test";
import { codeDemand, proofFromForm } from "./reauth-code";

test("the code field is offered only when the refusal names totp; required for multi_factor", () => {
  assert.deepEqual(codeDemand({ methods: ["password"], level: "multi_factor" }), { offered: false, required: false });
  assert.deepEqual(codeDemand({ methods: ["password", "totp"], level: "any" }), { offered: true, required: false });
  assert.deepEqual(codeDemand({ methods: ["password", "totp"], level: "multi_factor" }), { offered: true, required: true });
  assert.deepEqual(codeDemand(null), { offered: false, required: false });
});

test("level any: password, code, or both; multi_factor: both in one body", () => {
  const any = { offered: true, required: false };
  const multi = { offered: true, required: true };
  assert.deepEqual(proofFromForm("pw", "", any), { password: "pw" });
  assert.deepEqual(proofFromForm("", "123 456", any), { code: "123456" });
  assert.deepEqual(proofFromForm("pw", "123456", any), { password: "pw", code: "123456" });
  assert.deepEqual(proofFromForm("pw", "123456", multi), { password: "pw", code: "123456" });
  assert.equal(typeof proofFromForm("pw", "", multi), "string");
  assert.equal(typeof proofFromForm("", "123456", multi), "string");
  assert.equal(proofFromForm("", "123456", { offered: false, required: false }), "Enter your password to continue.");
});
