import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { setTestEnv, tempDir } from "../../test-utils";

const temp = tempDir("fa-recovery-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL });

let codes: typeof import("./recovery-codes");
let factor: typeof import("./totp-factor");
let users: typeof import("../users");
let db: typeof import("../../db");

before(async () => {
  const { migrate } = await import("../../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("../../db");
  users = await import("../users");
  codes = await import("./recovery-codes");
  factor = await import("./totp-factor");
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

test("ten distinct codes of 16 symbols (80 bits), grouped by four, no look-alikes", () => {
  const { codes: list, hashes } = codes.newRecoveryCodes();
  assert.equal(list.length, 10);
  assert.equal(new Set(list).size, 10);
  for (const code of list) assert.match(code, /^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
  assert.deepEqual(hashes, list.map(codes.hashRecoveryCode));
  assert.ok(hashes.every((h, i) => !h.includes(codes.normaliseRecoveryCode(list[i]))), "stored hashed");
});

test("typing does not matter: case, spaces and dashes", () => {
  const code = "ABCD-EFGH-JKLM-NPQR";
  assert.equal(codes.hashRecoveryCode(" abcd efgh-jklmnpqr "), codes.hashRecoveryCode(code));
  assert.notEqual(codes.hashRecoveryCode("ABCD-EFGH-JKLM-NPQS"), codes.hashRecoveryCode(code));
});

test("a recovery code works once, ever, even twice at the same moment; another account's never", async () => {
  const { TOTP, Secret } = await import("otpauth");
  const user = await users.createUser({ email: "r@example.com", password: "correct horse battery", name: "" });
  const other = await users.createUser({ email: "o@example.com", password: "correct horse battery", name: "" });
  const { secret } = await factor.startTotpEnrollment(user);
  const list = await factor.enableTotp(user.id, TOTP.generate({ secret: Secret.fromBase32(secret) }));
  assert.equal(await codes.remainingRecoveryCodes(user.id), 10);
  assert.equal(await codes.useRecoveryCode(other.id, list[0]), false);
  const raced = await Promise.all([codes.useRecoveryCode(user.id, list[0]), codes.useRecoveryCode(user.id, list[0].toLowerCase())]);
  assert.deepEqual(raced.sort(), [false, true]);
  assert.equal(await codes.useRecoveryCode(user.id, list[0]), false, "used");
  assert.equal(await codes.remainingRecoveryCodes(user.id), 9);
  assert.equal(await factor.disableTotp(user.id), true);
  assert.equal(await codes.useRecoveryCode(user.id, list[1]), false, "gone with the factor");
});
