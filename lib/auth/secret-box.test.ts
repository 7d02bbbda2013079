import assert from "node:assert/strict";
import { before, test } from "node:test";
import { SECRET_A, SECRET_B, setTestEnv } from "../test-utils";

setTestEnv();
let box: typeof import("./secret-box");
let config: typeof import("../config");

before(async () => {
  config = await import("../config");
  box = await import("./secret-box");
});

function useSecrets(secret: string, previous = "") {
  process.env.AUTH_SECRET = secret;
  process.env.AUTH_PREVIOUS_SECRETS = previous;
  config.resetConfigForTests();
  box.resetSecretBoxForTests();
}

test("seal and open round-trip; every seal differs (random IV); no plaintext inside", async () => {
  useSecrets(SECRET_A);
  const a = await box.seal("totp-secret", "JBSWY3DPEHPK3PXP", "user-1");
  const b = await box.seal("totp-secret", "JBSWY3DPEHPK3PXP", "user-1");
  assert.notEqual(a, b);
  assert.ok(!a.includes("JBSWY3DPEHPK3PXP"));
  assert.equal(await box.open("totp-secret", a, "user-1"), "JBSWY3DPEHPK3PXP");
});

test("bound to its context: a value moved to another user does not open; tampering is caught", async () => {
  useSecrets(SECRET_A);
  const sealed = await box.seal("totp-secret", "JBSWY3DPEHPK3PXP", "user-1");
  await assert.rejects(box.open("totp-secret", sealed, "user-2"));
  const parts = sealed.split(".");
  const body = Buffer.from(parts[3], "base64url");
  body[0] ^= 1;
  await assert.rejects(box.open("totp-secret", [...parts.slice(0, 3), body.toString("base64url")].join("."), "user-1"));
});

test("after a rotation it opens with AUTH_PREVIOUS_SECRETS, and new seals use the new secret", async () => {
  useSecrets(SECRET_A);
  const old = await box.seal("totp-secret", "seed", "u");
  useSecrets(SECRET_B, SECRET_A);
  assert.equal(await box.open("totp-secret", old, "u"), "seed");
  const fresh = await box.seal("totp-secret", "seed", "u");
  assert.notEqual(fresh.split(".")[1], old.split(".")[1], "the kid names the new secret");
  useSecrets(SECRET_B);
  await assert.rejects(box.open("totp-secret", old, "u"), "once the old secret is dropped, it is gone");
});
