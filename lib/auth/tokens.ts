import "server-only";
import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload } from "jose";
import { z } from "zod";
import type { AuthMethod } from "../shared/api-types";
import { AuthError } from "./errors";
import { getKeys } from "./keys";

export type TokenType = "access" | "refresh";

const ISSUER = "fresh-auth";
const AUDIENCE = "fresh-auth";
const ALGORITHMS = ["HS256"]; // explicit allow-list: never "none", never asymmetric confusion
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

async function sign(type: TokenType, claims: JWTPayload & { sub: string; jti: string }, expiresAt: Date) {
  const { current } = await getKeys();
  return new SignJWT({ ...claims, type })
    .setProtectedHeader({ alg: "HS256", typ: TYP[type], kid: current.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(seconds(expiresAt))
    .sign(current.jose[type]);
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
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const set = typeof header.kid === "string" ? byKid.get(header.kid) : undefined;
        if (!set || Object.keys(header).some((k) => !ALLOWED_HEADERS.has(k))) throw new AuthError("invalid_token");
        return set.jose[type];
      },
      { algorithms: ALGORITHMS, issuer: ISSUER, audience: AUDIENCE, typ: TYP[type], requiredClaims: ["exp", "iat", "sub", "jti"] },
    ));
  } catch (error) {
    // jose checks the signature before the claims, so an expired error means
    // the token is genuine and merely old.
    if (error instanceof errors.JWTExpired) {
      if (!options.allowExpired) throw new AuthError("token_expired", { description: EXPIRED[type] });
      payload = error.payload;
    } else {
      throw new AuthError("invalid_token");
    }
  }
  const schema = type === "access" ? accessClaims : refreshClaims;
  const parsed = schema.safeParse(payload);
  const now = Math.floor(Date.now() / 1000);
  if (!parsed.success || parsed.data.iat > now + CLOCK_SKEW_SECONDS || (payload.nbf ?? 0) > now + CLOCK_SKEW_SECONDS) {
    throw new AuthError("invalid_token");
  }
  if (type === "access" && (parsed.data as AccessClaims).auth_time > now + CLOCK_SKEW_SECONDS) {
    throw new AuthError("invalid_token");
  }
  return parsed.data as ClaimsOf<T>;
}
