// The testing kit's agent on its own: each operation it offers Playwright is
// run in the real agent process (forked by agent-client.ts, as the kit does) against a
// real, migrated SQLite file, and what it made is then checked by the app's
// OWN verification code in this process: the token verifier and freshness
// rule, the passkey assertion check, the TOTP and recovery-code checks, the
// refresh rotation's reuse detection. So a kit that minted something the app
// would not accept (a passkey whose stored public key does not match the
// private half, a code step the server refuses, a "not fresh" token that is
// fresh) fails here, without a browser.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Secret, TOTP } from "otpauth";
import { SECRET_A, rejectsWith, setTestEnv, tempDir } from "../test-utils";
import { Agent } from "./agent-client";
import type { AgentRequest, MintedPasskey, MintedSession, MintedTotp } from "./protocol";
import { SoftAuthenticator } from "./soft-authenticator";

const temp = tempDir("fa-agent-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
const FRESH_TTL = 300;
setTestEnv({ DATABASE_URL, AUTH_FRESH_TTL: `${FRESH_TTL}s`, AUTH_RATE_LIMIT_ACCOUNT: "off", AUTH_RATE_LIMIT_ADDRESS: "off" });

const AGENT = path.join(import.meta.dirname, "agent.ts");
let agent: Agent;
/** One request to the agent, through the client kit.ts uses. */
const call = <T>(request: AgentRequest) => agent.call<T>(request);

let tokens: typeof import("../auth/tokens");
let guard: typeof import("../auth/guard");
let sessions: typeof import("../auth/sessions");
let passkey: typeof import("../auth/proofs/passkey");
let secondFactor: typeof import("../auth/proofs/second-factor");
let db: typeof import("../db");

before(async () => {
  const { migrate } = await import("../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  agent = new Agent(AGENT, {});
  await agent.ready;
  tokens = await import("../auth/tokens");
  guard = await import("../auth/guard");
  sessions = await import("../auth/sessions");
  passkey = await import("../auth/proofs/passkey");
  secondFactor = await import("../auth/proofs/second-factor");
  db = await import("../db");
});

after(async () => {
  agent?.stop();
  await db?.getDb().$disconnect();
  temp.cleanup();
});

let count = 0;
const newUser = () => call<{ id: string; email: string }>({ op: "createUser", email: `agent${++count}@example.com`, password: "kit password, long enough" });
const mint = (userId: string, state: "fresh" | "not_fresh" | "freshness_ended" | "access_expired", methods = ["password"] as ("password" | "passkey" | "totp")[]) =>
  call<MintedSession>({ op: "mintSession", userId, state, methods, userAgent: "agent test" });

describe("sessions in each state, as the app's guard reads them", () => {
  test("fresh: a live session whose access token is fresh within the window", async () => {
    const user = await newUser();
    const minted = await mint(user.id, "fresh", ["passkey"]);
    const claims = await tokens.verifyToken(minted.access, "access");
    assert.equal(claims.sub, user.id);
    assert.equal(claims.sid, minted.sessionId);
    assert.deepEqual(claims.amr, ["passkey"]);
    assert.equal(guard.isFresh(claims, FRESH_TTL), true);
    const refresh = await tokens.verifyToken(minted.refresh, "refresh");
    assert.equal(refresh.sid, minted.sessionId);
  });

  test("not_fresh: valid, but fresh: false, as after a refresh", async () => {
    const claims = await tokens.verifyToken((await mint((await newUser()).id, "not_fresh")).access, "access");
    assert.equal(claims.fresh, false);
    assert.equal(guard.isFresh(claims, FRESH_TTL), false);
  });

  test("freshness_ended: fresh: true, but the proof is older than AUTH_FRESH_TTL", async () => {
    const claims = await tokens.verifyToken((await mint((await newUser()).id, "freshness_ended")).access, "access");
    assert.equal(claims.fresh, true);
    assert.ok(Date.now() / 1000 - claims.auth_time > FRESH_TTL);
    assert.equal(guard.isFresh(claims, FRESH_TTL), false);
  });

  test("access_expired: the app refuses the access token as expired; its refresh token rotates", async () => {
    const minted = await mint((await newUser()).id, "access_expired");
    await rejectsWith(tokens.verifyToken(minted.access, "access"), "token_expired");
    const renewed = await sessions.rotateRefreshToken(await tokens.verifyToken(minted.refresh, "refresh"));
    assert.equal(renewed.view.id, minted.sessionId);
  });

  test("stealRefreshToken: the browser's next refresh is reuse and ends the session", async () => {
    const minted = await mint((await newUser()).id, "fresh");
    await call({ op: "stealRefreshToken", refresh: minted.refresh });
    await rejectsWith(sessions.rotateRefreshToken(await tokens.verifyToken(minted.refresh, "refresh")), "token_revoked");
    const row = await call<{ revokedAt: string | null }>({ op: "sessionRow", sessionId: minted.sessionId });
    assert.ok(row.revokedAt, "the whole session is revoked, for the thief too");
  });
});

describe("factors", () => {
  const rp = { id: "localhost", origin: "http://localhost:3000", name: "Fresh Auth" };

  test("addPasskey: its private half signs an assertion the app verifies as that user's", async () => {
    const user = await newUser();
    const minted = await call<MintedPasskey>({ op: "addPasskey", userId: user.id, name: "Kit key" });
    assert.equal(minted.name, "Kit key");
    assert.equal(Buffer.from(minted.userHandle, "base64").toString("utf8"), user.id);
    const authenticator = new SoftAuthenticator(user.id, { credential: minted });
    const { challengeId, options } = await passkey.assertionOptions(rp, user.id);
    assert.deepEqual(options.allowCredentials?.map((c) => c.id), [minted.credentialId]);
    const response = authenticator.assert({ challenge: options.challenge, origin: rp.origin, rpId: rp.id });
    const verified = await passkey.verifyPasskeyAssertion(response, challengeId, rp, user.id, { address: "203.0.113.7" });
    assert.equal(verified.user.id, user.id);
    assert.deepEqual(verified.proof.methods, ["passkey"]);
  });

  test("addPasskey: another key's signature over the same credential id is refused", async () => {
    const user = await newUser();
    const minted = await call<MintedPasskey>({ op: "addPasskey", userId: user.id });
    const impostor = new SoftAuthenticator(user.id);
    Object.assign(impostor, { credentialId: Buffer.from(minted.credentialId, "base64url") });
    const { challengeId, options } = await passkey.assertionOptions(rp, user.id);
    const response = impostor.assert({ challenge: options.challenge, origin: rp.origin, rpId: rp.id });
    await rejectsWith(passkey.verifyPasskeyAssertion(response, challengeId, rp, user.id, { address: "203.0.113.7" }), "invalid_credentials");
  });

  test("enableTotp: the next step's code is accepted once, the step used to turn it on is not; recovery codes work once", async () => {
    const user = await newUser();
    const minted = await call<MintedTotp>({ op: "enableTotp", userId: user.id });
    assert.equal(minted.recoveryCodes.length, 10);
    const at = (step: number) => TOTP.generate({ secret: Secret.fromBase32(minted.secret), timestamp: step * 30_000 });
    const context = { address: "203.0.113.8" };
    assert.equal(await secondFactor.verifySecondFactor(user.id, {}, context).catch((error: { code?: string }) => error.code), "second_factor_required");
    await rejectsWith(secondFactor.verifySecondFactor(user.id, { code: at(minted.usedStep) }, context), "invalid_credentials");
    const proof = await secondFactor.verifySecondFactor(user.id, { code: at(minted.usedStep + 1) }, context);
    assert.deepEqual(proof?.methods, ["totp"]);
    await rejectsWith(secondFactor.verifySecondFactor(user.id, { code: at(minted.usedStep + 1) }, context), "invalid_credentials");
    const [first] = minted.recoveryCodes;
    assert.deepEqual((await secondFactor.verifySecondFactor(user.id, { recoveryCode: first }, context))?.methods, ["recovery_code"]);
    await rejectsWith(secondFactor.verifySecondFactor(user.id, { recoveryCode: first }, context), "invalid_credentials");
  });
});

describe("refusals", () => {
  test("probeToken is a genuine token for no session: signed with the app's key, matching no row", async () => {
    const claims = await tokens.verifyToken(await call<string>({ op: "probeToken" }), "access");
    assert.equal(await db.getDb().session.findUnique({ where: { id: claims.sid } }), null);
  });

  test("an agent with another secret mints tokens the app refuses", async () => {
    const other = new Agent(AGENT, { AUTH_SECRET: SECRET_A.replace("A", "Z") });
    try {
      const token = await other.call<string>({ op: "probeToken" });
      await rejectsWith(tokens.verifyToken(token, "access"), "invalid_token");
    } finally {
      other.stop();
    }
  });
});
