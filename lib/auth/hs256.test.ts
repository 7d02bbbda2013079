// The synchronous signer must produce exactly what jose's SignJWT produces,
// and what jose's verifier (which tokens.ts still uses) accepts.
import assert from "node:assert/strict";
import { createSecretKey, randomBytes } from "node:crypto";
import { test } from "node:test";
import { jwtVerify, SignJWT } from "jose";
import { signHs256 } from "./hs256";

const key = createSecretKey(randomBytes(32));
const header = { alg: "HS256" as const, typ: "at+jwt", kid: "kid-1" };
const payload = { sub: "u1", sid: "s1", jti: "j1", fresh: true, auth_time: 1_800_000_000, amr: ["password"], type: "access", iss: "fresh-auth", aud: "fresh-auth", iat: 1_800_000_000, exp: 4_000_000_000 };

test("signHs256 gives the same bytes as jose's SignJWT", async () => {
  const { iss, aud, iat, exp, ...claims } = payload;
  const byJose = await new SignJWT(claims).setProtectedHeader(header).setIssuer(iss).setAudience(aud).setIssuedAt(iat).setExpirationTime(exp).sign(key);
  assert.equal(signHs256(header, payload, key), byJose);
});

test("jose verifies it, and refuses it under another key or with a changed byte", async () => {
  const token = signHs256(header, payload, key);
  const { payload: verified } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: "fresh-auth", audience: "fresh-auth", typ: "at+jwt" });
  assert.deepEqual(verified, payload);
  await assert.rejects(jwtVerify(token, createSecretKey(randomBytes(32)), { algorithms: ["HS256"] }));
  const tampered = token.replace(/\.([A-Za-z0-9_-])/, (_, c: string) => `.${c === "e" ? "f" : "e"}`);
  await assert.rejects(jwtVerify(tampered, key, { algorithms: ["HS256"] }));
});
