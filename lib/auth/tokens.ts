import "server-only";
import { randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import { z } from "zod";
import type { AuthMethod } from "../shared/api-types";
import { AuthError } from "../http/errors";
import { signHs256, verifyHs256 } from "./hs256";
import { getKeys } from "./keys";

export type TokenType = "access" | "refresh";

const ISSUER = "fresh-auth";
const AUDIENCE = "fresh-auth";
// The algorithm allow-list is one entry long, and enforced in hs256.ts:
// never "none", never asymmetric confusion, never HS512 with our key.
const REQUIRED_CLAIMS = ["exp", "iat", "sub", "jti", "iss", "aud"] as const;
const TYP: Record<TokenType, string> = { access: "at+jwt", refresh: "rt+jwt" };
// Anything beyond these (jku, jwk, x5u, x5c, crit…) asks the verifier to trust
// something the token itself supplies: refuse rather than ignore.
const ALLOWED_HEADERS = new Set(["alg", "typ", "kid"]);
const CLOCK_SKEW_SECONDS = 5;
// One code for both types (the client tells them apart by the call it made),
// but the sentence must name the token that ran out: an expired refresh token
// means the sign-in itself is over, not that a refresh would help.
const EXPIRED: Record<TokenType, string> = {
  access: "The access token has expired.",
  refresh: "The refresh token has expired. Sign in again.",
};
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * One token, one spelling: RFC 7515 base64url without padding, and no unused
 * bits set in a segment's last character. Decoders forgive "=", "+/" and
 * stray low bits, which would let a copy of a token look like a new string to
 * anything that compares tokens as text (logs, denylists, caches).
 */
function isCanonical(token: string): boolean {
  return COMPACT_JWS.test(token) && token.split(".").every((part) => Buffer.from(part, "base64url").toString("base64url") === part);
}

const base = {
  sub: z.string().min(1).max(64),
  sid: z.string().min(1).max(64),
  jti: z.string().min(1).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
  iss: z.literal(ISSUER),
  aud: z.literal(AUDIENCE),
};
// `amr` (RFC 8176's name): how the last proof of presence was made. Tokens
// signed before it existed read as a password sign-in, which they were.
const amr = z.array(z.enum(["password", "passkey", "totp", "recovery_code"])).min(1).max(4).default(["password"]);
// `cv`: the credential version the token was issued under (decision 602). A
// token from before the claim existed counts as version 0, the column's default.
const cv = z.number().int().min(0).default(0);
const accessClaims = z.object({ ...base, type: z.literal("access"), fresh: z.boolean(), auth_time: z.number().int(), amr, cv });
const refreshClaims = z.object({ ...base, type: z.literal("refresh") });

export type AccessClaims = z.infer<typeof accessClaims>;
export type RefreshClaims = z.infer<typeof refreshClaims>;
type ClaimsOf<T extends TokenType> = T extends "access" ? AccessClaims : RefreshClaims;

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

// Synchronous HMAC (lib/auth/hs256.ts, decision 506); the claims and header
// are exactly those SignJWT set: iss, aud, iat (now), exp, and alg/typ/kid.
async function sign(type: TokenType, claims: JWTPayload & { sub: string; jti: string }, expiresAt: Date) {
  const { current } = await getKeys();
  const payload = { ...claims, type, iss: ISSUER, aud: AUDIENCE, iat: seconds(new Date()), exp: seconds(expiresAt) };
  return signHs256({ alg: "HS256", typ: TYP[type], kid: current.kid }, payload, current[type]);
}

export function signAccessToken(input: {
  userId: string;
  sessionId: string;
  fresh: boolean;
  authTime: Date;
  methods: AuthMethod[];
  expiresAt: Date;
  /** The session's credential version (decision 602); 0, the column's default, when not given. */
  credentialVersion?: number;
}): Promise<string> {
  return sign(
    "access",
    {
      sub: input.userId,
      sid: input.sessionId,
      jti: randomUUID(),
      fresh: input.fresh,
      auth_time: seconds(input.authTime),
      amr: input.methods,
      cv: input.credentialVersion ?? 0,
    },
    input.expiresAt,
  );
}

/** The jti is the session's current refresh id; re-issuing keeps it. */
export function signRefreshToken(input: { userId: string; sessionId: string; jti: string; expiresAt: Date }): Promise<string> {
  return sign("refresh", { sub: input.userId, sid: input.sessionId, jti: input.jti }, input.expiresAt);
}

/**
 * Verifies signature, algorithm, header, issuer, audience, type and claims.
 * Expired tokens throw `token_expired`, unless `allowExpired` (logout only
 * needs to know which session to end), in which case the verified claims are
 * returned. Anything else wrong is `invalid_token`, never a 5xx.
 */
export async function verifyToken<T extends TokenType>(
  token: string,
  type: T,
  options: { allowExpired?: boolean } = {},
): Promise<ClaimsOf<T>> {
  if (!isCanonical(token)) throw new AuthError("invalid_token");
  const { byKid } = await getKeys();
  // Synchronous HMAC check (lib/auth/hs256.ts, decision 507), then the claim
  // checks jose's jwtVerify made, in its order: typ (with the key), issuer,
  // audience, required claims, iat, nbf, and expiry last, so an expired error
  // means the token is genuine, well-formed and merely old.
  const payload = verifyHs256(token, (header) => {
    const set = typeof header.kid === "string" ? byKid.get(header.kid) : undefined;
    if (!set || header.typ !== TYP[type] || Object.keys(header).some((k) => !ALLOWED_HEADERS.has(k))) return undefined;
    return set[type];
  });
  const now = Math.floor(Date.now() / 1000);
  if (
    !payload ||
    payload.iss !== ISSUER ||
    payload.aud !== AUDIENCE ||
    REQUIRED_CLAIMS.some((claim) => payload[claim] === undefined) ||
    typeof payload.iat !== "number" ||
    typeof payload.exp !== "number" ||
    (payload.nbf !== undefined && (typeof payload.nbf !== "number" || payload.nbf > now))
  ) {
    throw new AuthError("invalid_token");
  }
  if (payload.exp <= now && !options.allowExpired) throw new AuthError("token_expired", { description: EXPIRED[type] });
  const schema = type === "access" ? accessClaims : refreshClaims;
  const parsed = schema.safeParse(payload);
  if (!parsed.success || parsed.data.iat > now + CLOCK_SKEW_SECONDS) {
    throw new AuthError("invalid_token");
  }
  if (type === "access" && (parsed.data as AccessClaims).auth_time > now + CLOCK_SKEW_SECONDS) {
    throw new AuthError("invalid_token");
  }
  return parsed.data as ClaimsOf<T>;
}
