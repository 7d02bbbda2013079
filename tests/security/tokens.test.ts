// Item 2 — token attacks (RFC 8725, OWASP JWT cheat sheet), end to end through
// the real server: every hostile token gets 401 invalid_token on every kind
// of endpoint that reads a token, never a 5xx, never a signed-in page, and
// never ends or changes the victim's session.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { exportJWK, SignJWT } from "jose";
import { Client, PASSWORD, registered, sleep, startServer, TEST_SECRET, type TestServer } from "../http/harness";
import { assertError, b64, claimsFor, csrfFor, decode, deriveKey, forge, kidOf, now, signRaw, withCookies } from "./helpers";

type TokenType = "access" | "refresh";
interface Case {
  name: string;
  token: string;
  /** Acceptable error codes; invalid_token unless said otherwise. */
  codes?: string[];
  /** Only someone holding the signing key could make it (models a leaked key). */
  keyHolder?: boolean;
}

let server: TestServer;
let victim: Awaited<ReturnType<typeof registered>>;
let other: Awaited<ReturnType<typeof registered>>;
before(async () => {
  server = await startServer({ AUTH_REFRESH_REUSE_GRACE: "1s" });
  [victim, other] = await Promise.all([registered(server.url), registered(server.url)]);
});
after(() => server?.stop());

const TYP = { access: "at+jwt", refresh: "rt+jwt" } as const;
const OTHER_SECRET = "another-secret-that-is-long-enough-0123456789";

/** Valid claims naming the victim's real session, to be broken one field at a time. */
function honest(type: TokenType): Record<string, unknown> {
  const real = decode(victim.client.cookie(type === "access" ? "access_token" : "refresh_token")!).payload;
  return claimsFor(real, type);
}

function without(claims: Record<string, unknown>, name: string) {
  const { [name]: _dropped, ...rest } = claims;
  return rest;
}

async function hostileTokens(type: TokenType): Promise<Case[]> {
  const claims = honest(type);
  const key = deriveKey(type);
  const header = { alg: "HS256", typ: TYP[type], kid: kidOf() };
  const real = (h: Record<string, unknown>, c = claims) => signRaw(h, c, key);
  const unsigned = (alg: string) => `${b64({ ...header, alg })}.${b64(claims)}.`;

  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const embedded = async (alg: string, pair: typeof rsa) =>
    new SignJWT(claims).setProtectedHeader({ alg, typ: TYP[type], kid: kidOf(), jwk: await exportJWK(pair.publicKey) }).sign(pair.privateKey);

  const cases: Case[] = [
    ...["none", "None", "NONE", "nOnE"].flatMap((alg) => [
      { name: `alg ${alg}, no signature`, token: unsigned(alg) },
      { name: `alg ${alg}, with the genuine signature`, token: real({ ...header, alg }) },
    ]),
    { name: "HS384 with the real key", token: signRaw({ ...header, alg: "HS384" }, claims, key, "sha384") },
    { name: "HS512 with the real key", token: signRaw({ ...header, alg: "HS512" }, claims, key, "sha512") },
    { name: "RS256 with an embedded jwk", token: await embedded("RS256", rsa) },
    { name: "ES256 with an embedded jwk", token: await embedded("ES256", ec) },
    { name: "RS256 header over an HMAC signature (key confusion)", token: real({ ...header, alg: "RS256" }) },
    { name: "PS256 header over an HMAC signature", token: real({ ...header, alg: "PS256" }) },
    { name: "key derived from another secret", token: signRaw(header, claims, deriveKey(type, OTHER_SECRET)) },
    { name: "another secret, claiming its own kid", token: signRaw({ ...header, kid: kidOf(OTHER_SECRET) }, claims, deriveKey(type, OTHER_SECRET)) },
    { name: "the raw AUTH_SECRET instead of the derived key", token: signRaw(header, claims, TEST_SECRET) },
    { name: "the other token type's key", token: signRaw(header, claims, deriveKey(type === "access" ? "refresh" : "access")) },
    { name: "the CSRF key", token: signRaw(header, claims, deriveKey("csrf")) },
    { name: "an empty key", token: signRaw(header, claims, Buffer.alloc(0)) },
    { name: "jku header", token: real({ ...header, jku: "https://evil.example/jwks.json" }) },
    { name: "jwk header (the real key, as oct)", token: real({ ...header, jwk: { kty: "oct", k: Buffer.from(key.export()).toString("base64url") } }) },
    { name: "x5u header", token: real({ ...header, x5u: "https://evil.example/cert.pem" }) },
    { name: "x5c header", token: real({ ...header, x5c: ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"] }) },
    { name: "x5t header", token: real({ ...header, x5t: "dGhpcyBpcyBub3QgYSBjZXJ0" }) },
    { name: "crit header", token: real({ ...header, crit: ["exp"] }) },
    { name: "b64:false header", token: real({ ...header, b64: false, crit: ["b64"] }) },
    { name: "cty header (nested JWT)", token: real({ ...header, cty: "JWT" }) },
    { name: "kid path traversal", token: real({ ...header, kid: "../../../../../../etc/passwd" }) },
    { name: "kid SQL injection", token: real({ ...header, kid: "' OR '1'='1' --" }) },
    { name: "kid 4 KB long", token: real({ ...header, kid: "k".repeat(4096) }) },
    { name: "kid is a number", token: real({ ...header, kid: 123 }) },
    { name: "kid is null", token: real({ ...header, kid: null }) },
    { name: "kid is an object", token: real({ ...header, kid: { $ne: null } }) },
    { name: "kid is an array", token: real({ ...header, kid: [kidOf()] }) },
    { name: "kid is true", token: real({ ...header, kid: true }) },
    { name: "kid is empty", token: real({ ...header, kid: "" }) },
    { name: "kid missing", token: real(without(header, "kid")) },
    { name: "typ JWT", token: real({ ...header, typ: "JWT" }) },
    { name: "typ missing", token: real(without(header, "typ")) },
    { name: "typ of the other token type", token: real({ ...header, typ: type === "access" ? TYP.refresh : TYP.access }) },
    ...["exp", "sub", "jti", "sid", "iat", "type", "iss", "aud", ...(type === "access" ? ["fresh", "auth_time"] : [])].map((claim) => ({
      name: `missing ${claim}`,
      token: real(header, without(claims, claim)),
    })),
    { name: "wrong iss", token: real(header, { ...claims, iss: "evil" }) },
    { name: "wrong aud", token: real(header, { ...claims, aud: "evil" }) },
    { name: "aud as an array that includes ours", token: real(header, { ...claims, aud: ["fresh-auth", "evil"] }) },
    { name: "type claim of the other token type", token: real(header, { ...claims, type: type === "access" ? "refresh" : "access" }) },
    { name: "nbf in the future", token: real(header, { ...claims, nbf: now() + 600 }) },
    { name: "iat in the future", token: real(header, { ...claims, iat: now() + 600 }) },
    ...(type === "access" ? [{ name: "auth_time in the future", token: real(header, { ...claims, auth_time: now() + 600 }) }] : []),
    { name: "exp as a string", token: real(header, { ...claims, exp: String(now() + 600) }) },
    { name: "exp absurdly large", token: real(header, { ...claims, exp: 1e20 }) },
    { name: "sub as a number", token: real(header, { ...claims, sub: 42 }) },
    { name: "sid as an object", token: real(header, { ...claims, sid: { not: "x" } }) },
    { name: "sid 10 KB long", token: real(header, { ...claims, sid: "s".repeat(10_000) }) },
    // Genuinely signed, but naming another user's session: the key leaked in
    // this scenario, yet the session row still has to match.
    { name: "another user's sub on the victim's session", token: real(header, { ...claims, sub: decode(other.client.cookie("access_token")!).payload.sub }), codes: ["invalid_token", "token_revoked"], keyHolder: true },
    { name: "empty value", token: "", codes: ["authorization_required"] },
    { name: "one segment", token: "garbage" },
    { name: "two segments", token: "a.b" },
    { name: "three junk segments", token: "a.b.c" },
    { name: "dots only", token: "...." },
    { name: "five segments (JWE shape)", token: `${b64({ alg: "dir", enc: "A256GCM", kid: kidOf() })}.a.b.c.d` },
    { name: "header is not JSON", token: `${b64("not json")}.${b64(claims)}.sig` },
    { name: "header is a JSON array", token: `${b64([header])}.${b64(claims)}.sig` },
    { name: "payload is null", token: real(header, null as unknown as Record<string, unknown>) },
    { name: "payload is a JSON array", token: `${b64(header)}.${b64([claims])}.sig` },
    { name: "3 KB of junk", token: "x".repeat(3000) },
    { name: "a genuine token with a trailing dot", token: `${real(header)}.` },
  ];
  return cases;
}

/** Runs `check` for every case, a few at a time. */
async function eachCase(cases: Case[], check: (c: Case) => Promise<void>) {
  for (let i = 0; i < cases.length; i += 6) await Promise.all(cases.slice(i, i + 6).map(check));
}

async function assertVictimUntouched() {
  const me = await victim.client.get("/api/me");
  assert.equal(me.status, 200, "the victim is still signed in");
  assert.equal(me.data.user.name, "Test", "and nothing changed");
}

describe("controls (the forging harness is right, so refusals below are about the attack)", () => {
  test("an access token forged with the real key and honest claims is accepted", async () => {
    const token = await forge("access", honest("access"));
    assert.equal((await withCookies(server.url, { access_token: token }).get("/api/me")).status, 200);
    assert.equal((await withCookies(server.url, { access_token: signRaw({ alg: "HS256", typ: "at+jwt", kid: kidOf() }, honest("access"), deriveKey("access")) }).get("/api/me")).status, 200);
  });

  test("a refresh token forged with the real key and the current jti is accepted", async () => {
    const session = await registered(server.url);
    const claims = claimsFor(decode(session.client.cookie("refresh_token")!).payload, "refresh");
    const res = await withCookies(server.url, { refresh_token: await forge("refresh", claims) }).post("/api/auth/refresh", undefined, {
      headers: { "x-csrf-token": csrfFor(String(claims.sid)) },
    });
    assert.equal(res.status, 200, JSON.stringify(res.data));
  });
});

describe("hostile access tokens", () => {
  test("are refused by API reads, API writes and fresh-login with 401, and change nothing", async () => {
    const sid = String(honest("access").sid);
    await eachCase(await hostileTokens("access"), async ({ name, token, codes = ["invalid_token"] }) => {
      const attacker = withCookies(server.url, { access_token: token });
      assertError(await attacker.get("/api/me"), 401, codes, `GET /api/me, ${name}`);
      assertError(await attacker.patch("/api/me", { name: "pwned" }, { headers: { "x-csrf-token": csrfFor(sid) } }), 401, codes, `PATCH /api/me, ${name}`);
      assertError(await attacker.post("/api/auth/fresh-login", { password: PASSWORD }, { headers: { "x-csrf-token": csrfFor(sid) } }), 401, codes, `fresh-login, ${name}`);
    });
    await assertVictimUntouched();
  });

  test("never render a signed-in page and never end the victim's session through logout", async () => {
    const sid = String(honest("access").sid);
    await eachCase(await hostileTokens("access"), async ({ name, token, keyHolder }) => {
      const attacker = withCookies(server.url, { access_token: token });
      const page = await attacker.get("/");
      assert.equal(page.status, 307, `GET /, ${name} → ${page.status}`);
      assert.match(page.headers.get("location") ?? "", /^\/login\?next=/, `GET /, ${name}`);
      // A key holder can end any session anyway; everyone else must not.
      if (keyHolder) return;
      const logout = await attacker.post("/api/auth/logout", undefined, { headers: { "x-csrf-token": csrfFor(sid) } });
      assert.equal(logout.status, 204, `logout, ${name}`);
    });
    await assertVictimUntouched();
  });
});

describe("hostile refresh tokens", () => {
  test("are refused by refresh, the page hand-off and logout, and the victim's session goes on", async () => {
    const sid = String(honest("refresh").sid);
    await eachCase(await hostileTokens("refresh"), async ({ name, token, codes = ["invalid_token"], keyHolder }) => {
      const attacker = withCookies(server.url, { refresh_token: token });
      const refresh = await attacker.post("/api/auth/refresh", undefined, { headers: { "x-csrf-token": csrfFor(sid) } });
      assertError(refresh, 401, codes, `refresh, ${name}`);
      assert.ok(refresh.setCookies.every((line) => /Max-Age=0/i.test(line)), `refresh, ${name}: only cleared cookies`);
      const resume = await attacker.get("/api/auth/resume?next=%2F");
      assert.ok([200, 303].includes(resume.status), `resume, ${name} → ${resume.status}`);
      if (resume.status === 303) assert.match(resume.headers.get("location") ?? "", /^\/login/, `resume, ${name}`);
      if (keyHolder) return;
      const logout = await attacker.post("/api/auth/logout", undefined, { headers: { "x-csrf-token": csrfFor(sid) } });
      assert.equal(logout.status, 204, `logout, ${name}`);
    });
    await assertVictimUntouched();
    assert.equal((await victim.client.post("/api/auth/refresh")).status, 200, "the victim's own refresh token still rotates");
  });
});

describe("confusion and tampering with genuine tokens", () => {
  test("a refresh token in the access cookie and an access token in the refresh cookie are invalid_token", async () => {
    const { client } = await registered(server.url);
    const access = client.cookie("access_token")!;
    const refresh = client.cookie("refresh_token")!;
    const csrf = client.cookie("csrf_token")!;
    assertError(await withCookies(server.url, { access_token: refresh }).get("/api/me"), 401, "invalid_token", "refresh as access");
    assertError(await withCookies(server.url, { refresh_token: access }).post("/api/auth/refresh", undefined, { headers: { "x-csrf-token": csrf } }), 401, "invalid_token", "access as refresh");
    assertError(await withCookies(server.url, { refresh_token: access, access_token: refresh }).post("/api/auth/fresh-login", { password: PASSWORD }, { headers: { "x-csrf-token": csrf } }), 401, "invalid_token", "both swapped, fresh-login");
  });

  test("a refreshed (non-fresh) token edited to say fresh:true cannot delete the account or change the e-mail", async () => {
    const session = await registered(server.url);
    assert.equal((await session.client.post("/api/auth/refresh")).status, 200);
    const [h, p, s] = session.client.cookie("access_token")!.split(".");
    const payload = decode(session.client.cookie("access_token")!).payload;
    assert.equal(payload.fresh, false);
    for (const edit of [{ fresh: true }, { fresh: true, auth_time: now() }]) {
      const forged = [h, b64({ ...payload, ...edit }), s].join(".");
      const attacker = withCookies(server.url, { access_token: forged, csrf_token: session.client.cookie("csrf_token") });
      assertError(await attacker.delete("/api/account"), 401, "invalid_token", `DELETE /api/account with ${JSON.stringify(edit)}`);
      assertError(await attacker.put("/api/account/email", { email: "thief@example.com" }), 401, "invalid_token", "PUT /api/account/email");
    }
    assertError(await session.client.delete("/api/account"), 401, "fresh_token_required", "the genuine token is still not fresh");
    assert.equal((await session.client.get("/api/me")).data.user.email, session.email);
  });

  test("re-encoded signatures of a revoked session's tokens are invalid_token, the originals token_revoked", async () => {
    const session = await registered(server.url);
    const access = session.client.cookie("access_token")!;
    const refresh = session.client.cookie("refresh_token")!;
    const csrf = session.client.cookie("csrf_token")!;
    assert.equal((await session.client.post("/api/auth/logout")).status, 204);
    assertError(await withCookies(server.url, { access_token: access }).get("/api/me"), 401, "token_revoked", "the original access token");
    for (const [name, token] of Object.entries(reencodings(access))) {
      assertError(await withCookies(server.url, { access_token: token }).get("/api/me"), 401, "invalid_token", `access, ${name}`);
    }
    for (const [name, token] of Object.entries(reencodings(refresh))) {
      const res = await withCookies(server.url, { refresh_token: token }).post("/api/auth/refresh", undefined, { headers: { "x-csrf-token": csrf } });
      assertError(res, 401, "invalid_token", `refresh, ${name}`);
    }
  });

  test("a re-encoded copy of a rotated refresh token is refused; the original after the grace ends the session", async () => {
    const session = await registered(server.url);
    const parent = session.client.cookie("refresh_token")!;
    const csrf = { "x-csrf-token": session.client.cookie("csrf_token")! };
    assert.equal((await session.client.post("/api/auth/refresh")).status, 200);
    await sleep(1300); // past AUTH_REFRESH_REUSE_GRACE=1s
    for (const [name, variant] of Object.entries(reencodings(parent))) {
      const res = await withCookies(server.url, { refresh_token: variant }).post("/api/auth/refresh", undefined, { headers: csrf });
      assertError(res, 401, "invalid_token", `re-encoded parent, ${name}`);
    }
    assert.equal((await session.client.get("/api/me")).status, 200, "refused copies end nothing");
    const thief = await withCookies(server.url, { refresh_token: parent }).post("/api/auth/refresh", undefined, { headers: csrf });
    assertError(thief, 401, "token_revoked", "the parent itself is reuse");
    assertError(await session.client.get("/api/me"), 401, "token_revoked", "reuse detection revoked the whole session");
  });
});

/** The same signature bytes written differently (padding, alphabet, unused bits, whitespace). */
function reencodings(token: string): Record<string, string> {
  const [h, p, s] = token.split(".");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // 32 bytes = 43 characters; the last one carries 4 bits of data and 2 unused ones.
  const last = alphabet.indexOf(s.at(-1)!);
  const nonCanonical = s.slice(0, -1) + alphabet[(last & ~3) | ((last & 3) ^ 1)];
  const standard = s.replace(/-/g, "+").replace(/_/g, "/");
  const variants: Record<string, string> = {
    "with = padding": `${h}.${p}.${s}=`,
    "with == padding": `${h}.${p}.${s}==`,
    "standard base64 alphabet": `${h}.${p}.${standard}`,
    "standard alphabet with padding": `${h}.${p}.${standard}=`,
    "non-canonical last character": `${h}.${p}.${nonCanonical}`,
    "padded header": `${h}=.${p}.${s}`,
  };
  // A signature without "-" or "_" reads the same in both alphabets: that one is no variant.
  return Object.fromEntries(Object.entries(variants).filter(([, variant]) => variant !== token));
}
