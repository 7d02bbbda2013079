// The synchronous HS256 signer and verifier (lib/auth/hs256.ts): byte for
// byte what jose signs, accepted by jose, and accepting what jose signs; and a
// verifier that only ever computes HMAC-SHA-256, whatever the token says.
import assert from "node:assert/strict";
import { createHmac, createSecretKey, randomBytes } from "node:crypto";
import { test } from "node:test";
import { jwtVerify, SignJWT } from "jose";
import { signHs256, verifyHs256 } from "./hs256";

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

const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const mac = (input: string, hash = "sha256") => createHmac(hash, key).update(input).digest("base64url");

test("verifyHs256 accepts what jose signs, and returns the payload", async () => {
  const { iss, aud, iat, exp, ...claims } = payload;
  const byJose = await new SignJWT(claims).setProtectedHeader(header).setIssuer(iss).setAudience(aud).setIssuedAt(iat).setExpirationTime(exp).sign(key);
  assert.deepEqual(verifyHs256(byJose, () => key), payload);
});

test("verifyHs256 never computes another algorithm and refuses anything but a signed JSON object", () => {
  const good = signHs256(header, payload, key);
  assert.equal(verifyHs256(good, () => undefined), undefined, "no key for this header");
  const none = `${enc({ ...header, alg: "none" })}.${enc(payload)}.`;
  assert.equal(verifyHs256(none, () => key), undefined, "alg none");
  const hs512Input = `${enc({ ...header, alg: "HS512" })}.${enc(payload)}`;
  assert.equal(verifyHs256(`${hs512Input}.${mac(hs512Input, "sha512")}`, () => key), undefined, "HS512 with the real key");
  const arrayInput = `${enc(header)}.${enc([payload])}`;
  assert.equal(verifyHs256(`${arrayInput}.${mac(arrayInput)}`, () => key), undefined, "a payload that is an array");
  const stringHeader = `${enc("HS256")}.${enc(payload)}`;
  assert.equal(verifyHs256(`${stringHeader}.${mac(stringHeader)}`, () => key), undefined, "a header that is not an object");
  const [h, p, s] = good.split(".");
  assert.equal(verifyHs256(`${h}.${p}.${s.slice(0, -2)}`, () => key), undefined, "a truncated signature");
  assert.equal(verifyHs256(`${h}.${p}`, () => key), undefined, "two segments");
  assert.equal(verifyHs256(`${h}.${enc({ ...payload, sub: "u2" })}.${s}`, () => key), undefined, "a changed payload");
});
