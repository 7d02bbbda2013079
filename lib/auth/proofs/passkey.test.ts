// Registration and assertion verification against a real, migrated SQLite
// file, with responses made by a software authenticator (real ES256
// signatures over real authenticator data), then forged one field at a time.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SoftAuthenticator } from "../../testing/soft-authenticator";
import { rejectsWith, setTestEnv, tempDir } from "../../test-utils";

const temp = tempDir("fa-passkey-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL, AUTH_RATE_LIMIT_ACCOUNT: "off", AUTH_RATE_LIMIT_ADDRESS: "off" });

let passkey: typeof import("./passkey");
let registration: typeof import("./passkey-registration");
let store: typeof import("./passkey-store");
let users: typeof import("../users");
let db: typeof import("../../db");

const rp = { id: "localhost", origin: "http://localhost:3000", name: "Fresh Auth" };
const keys = { address: "203.0.113.9" };

before(async () => {
  const { migrate } = await import("../../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("../../db");
  users = await import("../users");
  store = await import("./passkey-store");
  registration = await import("./passkey-registration");
  passkey = await import("./passkey");
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

let count = 0;
async function newUser() {
  return users.createUser({ email: `pk${++count}@example.com`, password: "correct horse battery", name: "Ada" });
}

/** A user with one registered software passkey. */
async function enrolled() {
  const user = await newUser();
  const sessionId = `session-${count}`;
  const options = await registration.registrationOptions(user, sessionId, rp);
  const authenticator = new SoftAuthenticator();
  const response = authenticator.register({ challenge: options.challenge, origin: rp.origin, rpId: rp.id }, { userHandle: user.id });
  const view = await registration.registerPasskey(user, sessionId, response, "Laptop", rp);
  return { user, sessionId, authenticator, view };
}

async function signInOptions(userId: string | null = null) {
  const { challengeId, options } = await passkey.assertionOptions(rp, userId);
  return { challengeId, challenge: options.challenge, options };
}

describe("registration", () => {
  test("options require a resident key and user verification, and exclude the account's passkeys", async () => {
    const { user, sessionId, authenticator } = await enrolled();
    const options = await registration.registrationOptions(user, sessionId, rp);
    assert.equal(options.rp.id, "localhost");
    assert.equal(options.authenticatorSelection?.residentKey, "required");
    assert.equal(options.authenticatorSelection?.userVerification, "required");
    assert.deepEqual(options.excludeCredentials?.map((c) => c.id), [authenticator.id]);
    assert.equal(Buffer.from(options.user.id, "base64url").toString(), user.id, "the user handle is the user id, no personal data");
  });

  test("a genuine response is stored with its name; the list shows no key material", async () => {
    const { user, view, authenticator } = await enrolled();
    assert.equal(view.name, "Laptop");
    const list = await store.listPasskeys(user.id);
    assert.deepEqual(Object.keys(list[0]).sort(), ["createdAt", "id", "lastUsedAt", "name"]);
    assert.equal(list[0].lastUsedAt, null);
    assert.ok(await store.findCredential(authenticator.id));
  });

  const forgeries: [string, (c: { challenge: string; origin: string; rpId: string }) => object][] = [
    ["wrong origin", (c) => ({ ...c, origin: "https://evil.example" })],
    ["wrong RP ID", (c) => ({ ...c, rpId: "evil.example" })],
    ["wrong challenge", (c) => ({ ...c, challenge: Buffer.from("not the challenge").toString("base64url") })],
    ["user not verified", (c) => ({ ...c, userVerified: false })],
    ["an assertion type instead of create", (c) => ({ ...c, type: "webauthn.get" })],
  ];
  for (const [label, forge] of forgeries) {
    test(`refused: ${label}`, async () => {
      const user = await newUser();
      const options = await registration.registrationOptions(user, "s", rp);
      const response = new SoftAuthenticator(user.id).register(forge({ challenge: options.challenge, origin: rp.origin, rpId: rp.id }) as never);
      await rejectsWith(registration.registerPasskey(user, "s", response, undefined, rp), "invalid_request");
      assert.equal(await store.countPasskeys(user.id), 0);
    });
  }

  test("refused: the challenge replayed (it was spent by the first use)", async () => {
    const user = await newUser();
    const options = await registration.registrationOptions(user, "s", rp);
    const ceremony = { challenge: options.challenge, origin: rp.origin, rpId: rp.id };
    await registration.registerPasskey(user, "s", new SoftAuthenticator(user.id).register(ceremony), undefined, rp);
    await rejectsWith(registration.registerPasskey(user, "s", new SoftAuthenticator(user.id).register(ceremony), undefined, rp), "invalid_request");
    assert.equal(await store.countPasskeys(user.id), 1);
  });

  test("refused: another session's pending challenge", async () => {
    const user = await newUser();
    const options = await registration.registrationOptions(user, "session-a", rp);
    const response = new SoftAuthenticator(user.id).register({ challenge: options.challenge, origin: rp.origin, rpId: rp.id });
    await rejectsWith(registration.registerPasskey(user, "session-b", response, undefined, rp), "invalid_request");
  });

  test("refused: a credential id already registered to another account", async () => {
    const { authenticator } = await enrolled();
    const thief = await newUser();
    const options = await registration.registrationOptions(thief, "t", rp);
    const response = authenticator.register({ challenge: options.challenge, origin: rp.origin, rpId: rp.id });
    await rejectsWith(registration.registerPasskey(thief, "t", response, undefined, rp), "invalid_request");
  });

  test("an unnamed passkey gets a plain default name", async () => {
    const user = await newUser();
    const options = await registration.registrationOptions(user, "s", rp);
    const response = new SoftAuthenticator(user.id).register({ challenge: options.challenge, origin: rp.origin, rpId: rp.id });
    assert.equal((await registration.registerPasskey(user, "s", response, undefined, rp)).name, "Passkey 1");
  });
});

describe("assertion", () => {
  test("a genuine discoverable sign-in verifies into the passkey proof; counter and last use recorded", async () => {
    const { user, authenticator } = await enrolled();
    const { challengeId, challenge, options } = await signInOptions();
    assert.deepEqual(options.allowCredentials ?? [], [], "a sign-in names no account");
    assert.equal(options.userVerification, "required");
    const verified = await passkey.verifyPasskeyAssertion(authenticator.assert({ challenge, origin: rp.origin, rpId: rp.id }), challengeId, rp, null, keys);
    assert.equal(verified.user.id, user.id);
    assert.deepEqual(verified.proof.methods, ["passkey"]);
    const stored = await store.findCredential(authenticator.id);
    assert.equal(stored?.counter, 1);
    assert.ok((await store.listPasskeys(user.id))[0].lastUsedAt);
  });

  test("a confirmation's options list only that account's passkeys", async () => {
    const { user, authenticator } = await enrolled();
    await enrolled();
    const { options } = await signInOptions(user.id);
    assert.deepEqual(options.allowCredentials?.map((c) => c.id), [authenticator.id]);
  });

  const forgeries: [string, (c: { challenge: string; origin: string; rpId: string }) => object][] = [
    ["wrong origin (a phishing page)", (c) => ({ ...c, origin: "https://fresh-auth.example.evil" })],
    ["wrong RP ID", (c) => ({ ...c, rpId: "evil.example" })],
    ["wrong challenge", (c) => ({ ...c, challenge: Buffer.from("some other challenge").toString("base64url") })],
    ["user not verified", (c) => ({ ...c, userVerified: false })],
    ["a create type instead of get", (c) => ({ ...c, type: "webauthn.create" })],
  ];
  for (const [label, forge] of forgeries) {
    test(`refused as invalid_credentials: ${label}`, async () => {
      const { authenticator } = await enrolled();
      const { challengeId, challenge } = await signInOptions();
      const response = authenticator.assert(forge({ challenge, origin: rp.origin, rpId: rp.id }) as never);
      await rejectsWith(passkey.verifyPasskeyAssertion(response, challengeId, rp, null, keys), "invalid_credentials");
      assert.equal((await store.findCredential(authenticator.id))?.counter, 0, "nothing recorded");
    });
  }

  test("refused: a replayed challenge (the very same response sent twice)", async () => {
    const { authenticator } = await enrolled();
    const { challengeId, challenge } = await signInOptions();
    const response = authenticator.assert({ challenge, origin: rp.origin, rpId: rp.id });
    await passkey.verifyPasskeyAssertion(response, challengeId, rp, null, keys);
    await rejectsWith(passkey.verifyPasskeyAssertion(response, challengeId, rp, null, keys), "invalid_credentials");
  });

  test("refused: a counter that does not move forward (a cloned authenticator)", async () => {
    const { authenticator } = await enrolled();
    const at = async (counter: number) => {
      const { challengeId, challenge } = await signInOptions();
      return passkey.verifyPasskeyAssertion(authenticator.assert({ challenge, origin: rp.origin, rpId: rp.id, counter }), challengeId, rp, null, keys);
    };
    await at(5);
    await rejectsWith(at(5), "invalid_credentials");
    await rejectsWith(at(3), "invalid_credentials");
    assert.equal((await store.findCredential(authenticator.id))?.counter, 5);
  });

  test("an authenticator that never counts (counter always 0) keeps working", async () => {
    const user = await newUser();
    const options = await registration.registrationOptions(user, "s", rp);
    const authenticator = new SoftAuthenticator(user.id, { countsSignatures: false });
    await registration.registerPasskey(user, "s", authenticator.register({ challenge: options.challenge, origin: rp.origin, rpId: rp.id }), undefined, rp);
    for (let i = 0; i < 2; i++) {
      const { challengeId, challenge } = await signInOptions();
      await passkey.verifyPasskeyAssertion(authenticator.assert({ challenge, origin: rp.origin, rpId: rp.id }), challengeId, rp, null, keys);
    }
  });

  test("refused: an unknown credential (validly signed, never registered)", async () => {
    await enrolled();
    const { challengeId, challenge } = await signInOptions();
    const stranger = new SoftAuthenticator("someone");
    await rejectsWith(passkey.verifyPasskeyAssertion(stranger.assert({ challenge, origin: rp.origin, rpId: rp.id }), challengeId, rp, null, keys), "invalid_credentials");
  });

  test("refused: a user handle that is not the credential's owner", async () => {
    const { authenticator } = await enrolled();
    const other = await newUser();
    authenticator.userHandle = other.id;
    const { challengeId, challenge } = await signInOptions();
    await rejectsWith(passkey.verifyPasskeyAssertion(authenticator.assert({ challenge, origin: rp.origin, rpId: rp.id }), challengeId, rp, null, keys), "invalid_credentials");
  });

  test("refused: a confirmation with another account's passkey, or with a sign-in challenge", async () => {
    const alice = await enrolled();
    const bob = await enrolled();
    const forBob = await signInOptions(bob.user.id);
    const response = alice.authenticator.assert({ challenge: forBob.challenge, origin: rp.origin, rpId: rp.id });
    await rejectsWith(passkey.verifyPasskeyAssertion(response, forBob.challengeId, rp, bob.user.id, keys), "invalid_credentials");
    const signIn = await signInOptions();
    const own = bob.authenticator.assert({ challenge: signIn.challenge, origin: rp.origin, rpId: rp.id });
    await rejectsWith(passkey.verifyPasskeyAssertion(own, signIn.challengeId, rp, bob.user.id, keys), "invalid_credentials");
  });

  test("refused: no challenge cookie, or an expired challenge", async () => {
    const { authenticator } = await enrolled();
    const { challengeId, challenge } = await signInOptions();
    const response = authenticator.assert({ challenge, origin: rp.origin, rpId: rp.id });
    await rejectsWith(passkey.verifyPasskeyAssertion(response, undefined, rp, null, keys), "invalid_credentials");
    await db.getDb().webAuthnChallenge.update({ where: { id: challengeId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await rejectsWith(passkey.verifyPasskeyAssertion(response, challengeId, rp, null, keys), "invalid_credentials");
  });
});
