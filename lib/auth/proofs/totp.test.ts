// TOTP against RFC 6238's own vectors, the ±1 step window, and replay
// protection on a real, migrated SQLite file.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Secret, TOTP } from "otpauth";
import { setTestEnv, tempDir } from "../../test-utils";

const temp = tempDir("fa-totp-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL });

let totp: typeof import("./totp");
let factor: typeof import("./totp-factor");
let users: typeof import("../users");
let db: typeof import("../../db");

before(async () => {
  const { migrate } = await import("../../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("../../db");
  users = await import("../users");
  totp = await import("./totp");
  factor = await import("./totp-factor");
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

// RFC 6238 Appendix B, SHA-1 rows: the seed is the ASCII "12345678901234567890".
const RFC_SEED = Secret.fromLatin1("12345678901234567890");
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("RFC 6238 test vectors (SHA-1)", () => {
  test("otpauth with 8 digits reproduces every SHA-1 row of Appendix B", () => {
    for (const [seconds, expected] of RFC_VECTORS) {
      assert.equal(TOTP.generate({ secret: RFC_SEED, algorithm: "SHA1", digits: 8, period: 30, timestamp: seconds * 1000 }), expected, `T=${seconds}`);
    }
  });

  test("our 6-digit check accepts the vectors' last six digits at their step (same truncation, mod 10^6)", () => {
    for (const [seconds, expected] of RFC_VECTORS) {
      assert.equal(totp.matchingStep(RFC_SEED.base32, expected.slice(2), seconds * 1000), Math.floor(seconds / 30), `T=${seconds}`);
    }
  });
});

describe("clock skew", () => {
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  const now = 1_800_000_015_000;
  const codeAt = (offsetSteps: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now + offsetSteps * 30_000 });

  test("a code one step early or late is accepted, and names its own step", () => {
    const step = totp.stepAt(now);
    assert.equal(totp.matchingStep(secret, codeAt(0), now), step);
    assert.equal(totp.matchingStep(secret, codeAt(-1), now), step - 1);
    assert.equal(totp.matchingStep(secret, codeAt(1), now), step + 1);
  });

  test("two steps off is refused, either way", () => {
    assert.equal(totp.matchingStep(secret, codeAt(-2), now), null);
    assert.equal(totp.matchingStep(secret, codeAt(2), now), null);
  });

  test("anything but six digits is refused", () => {
    for (const bad of ["", "12345", "1234567", "abcdef", `${codeAt(0)} `]) assert.equal(totp.matchingStep(secret, bad, now), null);
  });
});

describe("a confirmed factor: set-up, then replay protection", () => {
  async function enrolled() {
    const user = await users.createUser({ email: `t${Date.now()}${Math.random()}@example.com`, password: "correct horse battery", name: "" });
    const view = await factor.startTotpEnrollment(user);
    return { user, secret: view.secret, view };
  }
  const code = (secret: string, at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });

  test("the seed is stored sealed, never as the base32 the user saw", async () => {
    const { user, secret, view } = await enrolled();
    const row = await db.getDb().totpFactor.findUnique({ where: { userId: user.id } });
    assert.ok(row && !row.secret.includes(secret), "not in clear");
    assert.match(row.secret, /^v1\./);
    assert.equal(row.confirmedAt, null, "not active before a code");
    assert.ok(view.otpauthUrl.startsWith("otpauth://totp/"));
    assert.match(view.otpauthUrl, /algorithm=SHA1&digits=6&period=30/);
    assert.match(view.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/);
  });

  test("a code works once; the same code again, or an older one of the window, is refused", async () => {
    const { user, secret } = await enrolled();
    const now = Date.now();
    await factor.enableTotp(user.id, code(secret, now - 30_000), now);
    assert.equal(await factor.acceptTotpCode(user.id, code(secret, now - 30_000), now), false, "the set-up code is spent");
    assert.equal(await factor.acceptTotpCode(user.id, code(secret, now), now), true);
    assert.equal(await factor.acceptTotpCode(user.id, code(secret, now), now), false, "replay");
    assert.equal(await factor.acceptTotpCode(user.id, code(secret, now + 30_000), now), true, "the next step still works");
    assert.equal(await factor.acceptTotpCode(user.id, code(secret, now), now + 30_000), false, "older than the last used");
  });

  test("two parallel uses of one code: exactly one passes (compare-and-set)", async () => {
    const { user, secret } = await enrolled();
    const now = Date.now();
    await factor.enableTotp(user.id, code(secret, now - 30_000), now);
    const results = await Promise.all(Array.from({ length: 8 }, () => factor.acceptTotpCode(user.id, code(secret, now), now)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  test("a wrong code does not turn the factor on; a restarted set-up voids the old secret", async () => {
    const { user, secret } = await enrolled();
    await assert.rejects(factor.enableTotp(user.id, "000000" === code(secret, Date.now()) ? "111111" : "000000"));
    assert.equal(await factor.hasTotp(user.id), false);
    await factor.startTotpEnrollment(user);
    await assert.rejects(factor.enableTotp(user.id, code(secret, Date.now())), "the first secret is gone");
    assert.equal(await factor.hasTotp(user.id), false);
  });
});
