import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { SignJWT } from "jose";
import {
  decodeSegment,
  encodeSegment,
  forgeJwt,
  rejectsWith,
  SECRET_A,
  SECRET_B,
  setTestEnv,
  splitJwt,
} from "../test-utils";

setTestEnv();

let tokens: typeof import("./tokens");
let keys: typeof import("./keys");
let config: typeof import("../config");

before(async () => {
  config = await import("../config");
  keys = await import("./keys");
  tokens = await import("./tokens");
});

/** Switches the signing secrets; the next getKeys() derives from them. */
function useSecrets(secret: string, previous = "") {
  process.env.AUTH_SECRET = secret;
  process.env.AUTH_PREVIOUS_SECRETS = previous;
  config.resetConfigForTests();
  keys.resetKeysForTests();
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);

const accessInput = (overrides: Partial<Parameters<typeof tokens.signAccessToken>[0]> = {}) => ({
  userId: "user-1",
  sessionId: "session-1",
  fresh: true,
  authTime: new Date(),
  methods: ["password" as const],
  expiresAt: inMinutes(15),
  credentialVersion: 0,
  ...overrides,
});
const refreshInput = { userId: "user-1", sessionId: "session-1", jti: "refresh-jti-1", expiresAt: inMinutes(60) };

/** A complete, valid access payload for hand-made tokens. */
function accessPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return {
    sub: "user-1",
    sid: "session-1",
    jti: "jti-1",
    type: "access",
    fresh: true,
    auth_time: now,
    iat: now,
    exp: now + 600,
    iss: "fresh-auth",
    aud: "fresh-auth",
    ...overrides,
  };
}

async function currentKeys() {
  return (await keys.getKeys()).current;
}

/** A hand-made access token signed with the real access key. */
async function forgeAccess(header: Record<string, unknown>, payload = accessPayload()) {
  const { kid, access } = await currentKeys();
  return forgeJwt({ alg: "HS256", typ: "at+jwt", kid, ...header }, payload, access);
}

describe("sign and verify", () => {
  before(() => useSecrets(SECRET_A));

  test("an access token round-trips its claims", async () => {
    const authTime = new Date(Date.now() - 30_000);
    const token = await tokens.signAccessToken(accessInput({ fresh: true, authTime }));
    const claims = await tokens.verifyToken(token, "access");
    assert.equal(claims.sub, "user-1");
    assert.equal(claims.sid, "session-1");
    assert.equal(claims.type, "access");
    assert.equal(claims.fresh, true);
    assert.equal(claims.auth_time, Math.floor(authTime.getTime() / 1000));
    assert.deepEqual(claims.amr, ["password"]);
    assert.equal(claims.iss, "fresh-auth");
    assert.equal(claims.aud, "fresh-auth");
    assert.ok(claims.jti.length > 0);
  });

  test("a refresh token round-trips its claims and keeps the given jti", async () => {
    const token = await tokens.signRefreshToken(refreshInput);
    const claims = await tokens.verifyToken(token, "refresh");
    assert.equal(claims.sub, "user-1");
    assert.equal(claims.sid, "session-1");
    assert.equal(claims.jti, "refresh-jti-1");
    assert.equal(claims.type, "refresh");
    assert.equal(claims.exp, Math.floor(refreshInput.expiresAt.getTime() / 1000));
  });

  test("the header is exactly alg HS256, typ and kid", async () => {
    const token = await tokens.signAccessToken(accessInput());
    const header = decodeSegment(splitJwt(token)[0]);
    assert.deepEqual(header, { alg: "HS256", typ: "at+jwt", kid: (await currentKeys()).kid });
  });

  test("each access token gets its own jti", async () => {
    const [a, b] = await Promise.all([tokens.signAccessToken(accessInput()), tokens.signAccessToken(accessInput())]);
    const [ca, cb] = await Promise.all([tokens.verifyToken(a, "access"), tokens.verifyToken(b, "access")]);
    assert.notEqual(ca.jti, cb.jti);
  });

  test("a hand-made token with a complete payload verifies (control for the forgeries below)", async () => {
    const claims = await tokens.verifyToken(await forgeAccess({}), "access");
    assert.equal(claims.jti, "jti-1");
  });
});

describe("type confusion", () => {
  before(() => useSecrets(SECRET_A));

  test("an access token is refused where a refresh token is expected", async () => {
    await rejectsWith(tokens.verifyToken(await tokens.signAccessToken(accessInput()), "refresh"), "invalid_token");
  });

  test("a refresh token is refused where an access token is expected", async () => {
    await rejectsWith(tokens.verifyToken(await tokens.signRefreshToken(refreshInput), "access"), "invalid_token");
  });

  test("a refresh-keyed token with access claims and typ is still refused as access", async () => {
    const { kid, refresh } = await currentKeys();
    const token = forgeJwt({ alg: "HS256", typ: "at+jwt", kid }, accessPayload(), refresh);
    await rejectsWith(tokens.verifyToken(token, "access"), "invalid_token");
  });
});

describe("tampering", () => {
  before(() => useSecrets(SECRET_A));

  test("a non-fresh token edited to say fresh:true keeps its old signature and is refused", async () => {
    const token = await tokens.signAccessToken(accessInput({ fresh: false }));
    const [header, payload, signature] = splitJwt(token);
    const claims = decodeSegment(payload);
    assert.equal(claims.fresh, false);
    const edited = `${header}.${encodeSegment({ ...claims, fresh: true })}.${signature}`;
    await rejectsWith(tokens.verifyToken(edited, "access"), "invalid_token");
  });

  test("a signature re-encoded as standard base64 is refused", async () => {
    const [header, payload, signature] = splitJwt(await tokens.signAccessToken(accessInput()));
    const standard = Buffer.from(signature, "base64url").toString("base64");
    await rejectsWith(tokens.verifyToken(`${header}.${payload}.${standard}`, "access"), "invalid_token");
  });

  test("a signature with one byte changed is refused", async () => {
    const [header, payload, signature] = splitJwt(await tokens.signAccessToken(accessInput()));
    const bytes = Buffer.from(signature, "base64url");
    bytes[0] ^= 0x01;
    await rejectsWith(tokens.verifyToken(`${header}.${payload}.${bytes.toString("base64url")}`, "access"), "invalid_token");
  });

  test("a truncated, extended or empty signature is refused", async () => {
    const [header, payload, signature] = splitJwt(await tokens.signAccessToken(accessInput()));
    const truncatedBytes = Buffer.from(signature, "base64url").subarray(0, 16).toString("base64url");
    for (const sig of [signature.slice(0, -4), truncatedBytes, `${signature}AAAA`, ""]) {
      await rejectsWith(tokens.verifyToken(`${header}.${payload}.${sig}`, "access"), "invalid_token");
    }
  });

  test("garbage is invalid_token, never another error", async () => {
    for (const token of ["", "abc", "a.b", "a.b.c", "a.b.c.d", "....", "%%%.%%%.%%%", "eyJ.eyJ.x"]) {
      await rejectsWith(tokens.verifyToken(token, "access"), "invalid_token");
    }
  });
});

describe("algorithm and header", () => {
  before(() => useSecrets(SECRET_A));

  for (const alg of ["none", "None", "NONE", "nOnE"]) {
    test(`alg "${alg}" is refused, with or without a signature`, async () => {
      const { kid, access } = await currentKeys();
      const header = { alg, typ: "at+jwt", kid };
      await rejectsWith(tokens.verifyToken(forgeJwt(header, accessPayload(), null), "access"), "invalid_token");
      // Same header, but carrying a real HS256 signature over it.
      await rejectsWith(tokens.verifyToken(forgeJwt(header, accessPayload(), access), "access"), "invalid_token");
    });
  }

  test("HS512 with the real key is refused (algorithm allow-list)", async () => {
    const { kid, access } = await currentKeys();
    const token = forgeJwt({ alg: "HS512", typ: "at+jwt", kid }, accessPayload(), access, "sha512");
    await rejectsWith(tokens.verifyToken(token, "access"), "invalid_token");
  });

  test("RS256 is refused", async () => {
    const { kid, access } = await currentKeys();
    const token = forgeJwt({ alg: "RS256", typ: "at+jwt", kid }, accessPayload(), access);
    await rejectsWith(tokens.verifyToken(token, "access"), "invalid_token");
  });

  test("unknown, missing, hostile and non-string kids are refused", async () => {
    const { access } = await currentKeys();
    const kids: unknown[] = ["unknown-kid", "", "../../../etc/passwd", "' OR '1'='1", "__proto__", "constructor", 123, null, ["x"], { a: 1 }];
    for (const kid of kids) {
      const token = forgeJwt({ alg: "HS256", typ: "at+jwt", kid }, accessPayload(), access);
      await rejectsWith(tokens.verifyToken(token, "access"), "invalid_token");
    }
    const noKid = forgeJwt({ alg: "HS256", typ: "at+jwt" }, accessPayload(), access);
    await rejectsWith(tokens.verifyToken(noKid, "access"), "invalid_token");
  });

  test("jku, jwk, x5u, x5c and crit headers are refused even with a valid signature", async () => {
    const { kid, access } = await currentKeys();
    const extras: Record<string, unknown>[] = [
      { jku: "https://evil.example/jwks.json" },
      { jwk: { kty: "oct", k: "AAAA" } },
      { x5u: "https://evil.example/cert.pem" },
      { x5c: ["MIIB"] },
    ];
    for (const extra of extras) {
      const token = await new SignJWT(accessPayload())
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid, ...extra })
        .sign(access);
      await rejectsWith(tokens.verifyToken(token, "access"), "invalid_token");
    }
    const withCrit = await new SignJWT({ ...accessPayload() })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid, crit: ["exp2"], exp2: 1 })
      .sign(access, { crit: { exp2: true } });
    await rejectsWith(tokens.verifyToken(withCrit, "access"), "invalid_token");
  });
});

describe("claims", () => {
  before(() => useSecrets(SECRET_A));

  for (const claim of ["exp", "sub", "jti", "sid", "iat", "type", "fresh", "auth_time", "iss", "aud"]) {
    test(`a token without "${claim}" is refused`, async () => {
      const payload = accessPayload();
      delete payload[claim];
      await rejectsWith(tokens.verifyToken(await forgeAccess({}, payload), "access"), "invalid_token");
    });
  }

  test("iat, nbf or auth_time in the future is refused", async () => {
    const later = nowSeconds() + 3600;
    for (const overrides of [{ iat: later }, { nbf: later }, { auth_time: later }]) {
      await rejectsWith(tokens.verifyToken(await forgeAccess({}, accessPayload(overrides)), "access"), "invalid_token");
    }
  });

  test("wrong iss, aud or typ is refused", async () => {
    await rejectsWith(tokens.verifyToken(await forgeAccess({}, accessPayload({ iss: "someone-else" })), "access"), "invalid_token");
    await rejectsWith(tokens.verifyToken(await forgeAccess({}, accessPayload({ aud: "another-app" })), "access"), "invalid_token");
    await rejectsWith(tokens.verifyToken(await forgeAccess({}, accessPayload({ aud: ["fresh-auth", "x"] })), "access"), "invalid_token");
    for (const typ of ["JWT", "rt+jwt", undefined]) {
      await rejectsWith(tokens.verifyToken(await forgeAccess({ typ }), "access"), "invalid_token");
    }
  });

  test("a payload whose type claim says refresh is refused as access", async () => {
    await rejectsWith(tokens.verifyToken(await forgeAccess({}, accessPayload({ type: "refresh" })), "access"), "invalid_token");
  });

  test("wrongly typed claims are refused", async () => {
    for (const overrides of [{ fresh: "true" }, { sub: 42 }, { exp: "soon" }, { iat: 1.5 }, { sid: "" }]) {
      await rejectsWith(tokens.verifyToken(await forgeAccess({}, accessPayload(overrides)), "access"), "invalid_token");
    }
  });
});

describe("expiry", () => {
  before(() => useSecrets(SECRET_A));
  const expiredInput = () => accessInput({ authTime: new Date(Date.now() - 3_600_000), expiresAt: new Date(Date.now() - 60_000) });

  test("an expired genuine token is token_expired", async () => {
    await rejectsWith(tokens.verifyToken(await tokens.signAccessToken(expiredInput()), "access"), "token_expired");
    const refresh = await tokens.signRefreshToken({ ...refreshInput, expiresAt: new Date(Date.now() - 60_000) });
    await rejectsWith(tokens.verifyToken(refresh, "refresh"), "token_expired");
  });

  test("allowExpired returns the claims of an expired genuine token", async () => {
    const claims = await tokens.verifyToken(await tokens.signAccessToken(expiredInput()), "access", { allowExpired: true });
    assert.equal(claims.sid, "session-1");
    assert.ok(claims.exp < nowSeconds());
  });

  test("allowExpired still refuses a tampered expired token", async () => {
    const [header, payload, signature] = splitJwt(await tokens.signAccessToken(expiredInput()));
    const edited = `${header}.${encodeSegment({ ...decodeSegment(payload), sid: "someone-elses-session" })}.${signature}`;
    await rejectsWith(tokens.verifyToken(edited, "access", { allowExpired: true }), "invalid_token");
  });

  test("allowExpired still refuses an expired token of the other type", async () => {
    const refresh = await tokens.signRefreshToken({ ...refreshInput, expiresAt: new Date(Date.now() - 60_000) });
    await rejectsWith(tokens.verifyToken(refresh, "access", { allowExpired: true }), "invalid_token");
  });
});

describe("key rotation", () => {
  test("a token signed under the previous secret verifies, new tokens use the new kid, removal ends it", async () => {
    useSecrets(SECRET_A);
    const oldKid = (await currentKeys()).kid;
    const oldAccess = await tokens.signAccessToken(accessInput());
    const oldRefresh = await tokens.signRefreshToken(refreshInput);

    useSecrets(SECRET_B, SECRET_A);
    const newKid = (await currentKeys()).kid;
    assert.notEqual(newKid, oldKid);
    assert.equal((await tokens.verifyToken(oldAccess, "access")).sub, "user-1");
    assert.equal((await tokens.verifyToken(oldRefresh, "refresh")).jti, "refresh-jti-1");
    const fresh = await tokens.signAccessToken(accessInput());
    assert.equal(decodeSegment(splitJwt(fresh)[0]).kid, newKid);

    useSecrets(SECRET_B);
    await rejectsWith(tokens.verifyToken(oldAccess, "access"), "invalid_token");
    await rejectsWith(tokens.verifyToken(oldRefresh, "refresh"), "invalid_token");
    assert.equal((await tokens.verifyToken(fresh, "access")).sub, "user-1");
  });

  test("the kid does not reveal the secret", async () => {
    useSecrets(SECRET_A);
    const { kid } = await currentKeys();
    assert.ok(!SECRET_A.includes(kid));
    assert.ok(kid.length >= 8);
  });
});
