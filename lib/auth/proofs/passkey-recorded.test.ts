// Verification of responses RECORDED from Chromium's virtual authenticator
// (lib/testing/record-passkey.mjs → lib/testing/recorded/chromium.json): the
// bytes a real browser sends, then the same bytes misdirected or tampered with.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { rejectsWith, setTestEnv, tempDir } from "../../test-utils";

const temp = tempDir("fa-passkey-rec-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL, AUTH_RATE_LIMIT_ACCOUNT: "off", AUTH_RATE_LIMIT_ADDRESS: "off" });

const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../testing/recorded/chromium.json"), "utf8"));
const rp = { id: "localhost", origin: recorded.origin as string, name: "Fresh Auth" };
const keys = { address: "203.0.113.7" };
const user = { id: recorded.userId as string, email: "ada@example.com", name: "Ada" };

let passkey: typeof import("./passkey");
let registration: typeof import("./passkey-registration");
let challenges: typeof import("./webauthn-challenge");
let db: typeof import("../../db");

before(async () => {
  const { migrate } = await import("../../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("../../db");
  challenges = await import("./webauthn-challenge");
  registration = await import("./passkey-registration");
  passkey = await import("./passkey");
  await db.getDb().user.create({ data: { ...user, passwordHash: "not used here" } });
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

/** A pending challenge row holding the recorded challenge, as the options call would have left it. */
async function pending(purpose: "registration" | "sign-in", challenge: string, id = `rec-${Math.random()}`) {
  const now = Date.now();
  await db.getDb().webAuthnChallenge.upsert({
    where: { id },
    create: { id, challenge, purpose, userId: purpose === "registration" ? user.id : null, expiresAt: new Date(now + 60_000) },
    update: { challenge, purpose, expiresAt: new Date(now + 60_000) },
  });
  return id;
}

const withSignature = <T extends { response: Record<string, string> }>(response: T, signature: string): T => ({ ...response, response: { ...response.response, signature } });

describe("recorded from Chromium", () => {
  test("the registration is refused for another origin or RP ID, then accepted for ours", async () => {
    const { response, challenge } = recorded.registration;
    for (const elsewhere of [{ ...rp, origin: "https://fresh-auth.example" }, { ...rp, id: "example.com" }]) {
      await pending("registration", challenge, challenges.registrationChallengeId("s"));
      await rejectsWith(registration.registerPasskey(user, "s", response, undefined, elsewhere), "invalid_request");
    }
    await pending("registration", challenge, challenges.registrationChallengeId("s"));
    const view = await registration.registerPasskey(user, "s", response, "Chromium", rp);
    assert.equal(view.name, "Chromium");
  });

  test("before its genuine use (so the counter cannot be why): a signature with one byte changed, another origin, another RP ID or another challenge is refused", async () => {
    const { response, challenge } = recorded.authentication;
    const signature = Buffer.from(response.response.signature, "base64url");
    signature[signature.length - 1] ^= 0x01;
    const cases: [string, () => Promise<unknown>][] = [
      ["tampered signature", async () => passkey.verifyPasskeyAssertion(withSignature(response, signature.toString("base64url")), await pending("sign-in", challenge), rp, null, keys)],
      ["another origin", async () => passkey.verifyPasskeyAssertion(response, await pending("sign-in", challenge), { ...rp, origin: "http://localhost:1" }, null, keys)],
      ["another RP ID", async () => passkey.verifyPasskeyAssertion(response, await pending("sign-in", challenge), { ...rp, id: "example.com" }, null, keys)],
      ["another challenge", async () => passkey.verifyPasskeyAssertion(response, await pending("sign-in", Buffer.from("another").toString("base64url")), rp, null, keys)],
    ];
    for (const [label, attempt] of cases) {
      await assert.rejects(attempt(), (error: { code?: string }) => error.code === "invalid_credentials", label);
    }
  });

  test("the assertion verifies into the passkey proof of the recorded user", async () => {
    const { response, challenge } = recorded.authentication;
    const verified = await passkey.verifyPasskeyAssertion(response, await pending("sign-in", challenge), rp, null, keys);
    assert.equal(verified.user.id, user.id);
    assert.deepEqual(verified.proof.methods, ["passkey"]);
  });

  test("the same assertion again, even with its challenge re-issued, is refused (the counter did not move)", async () => {
    const { response, challenge } = recorded.authentication;
    await rejectsWith(passkey.verifyPasskeyAssertion(response, await pending("sign-in", challenge), rp, null, keys), "invalid_credentials");
  });
});
