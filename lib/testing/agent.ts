// The testing kit's server half: a child process that runs the app's OWN lib
// code (users, sessions, tokens, the Prisma client) against the database of
// the server under test, and answers the Playwright side over IPC. It is a
// separate process because Playwright's test loader cannot load the
// generated Prisma client (ES modules) nor the react-server build of
// `server-only`; here it runs exactly as the unit tests do
// (`node --conditions=react-server --import tsx`). Never imported by app code.
import "server-only";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import { Secret, TOTP } from "otpauth";
import { getConfig } from "../config";
import { getDb } from "../db";
import { addPasskey, countPasskeys } from "../auth/proofs/passkey-store";
import { proofOf, type AuthMethod } from "../auth/proofs/proof";
import { enableTotp, startTotpEnrollment } from "../auth/proofs/totp-factor";
import { createSession, revokeSession, rotateRefreshToken } from "../auth/sessions";
import { signAccessToken, verifyToken } from "../auth/tokens";
import { createUser, normalizeEmail } from "../auth/users";
import type { AgentRequest, AgentResponse, MintedPasskey, MintedSession, MintedTotp, SessionState } from "./protocol";

async function mintSession(input: { userId: string; state: SessionState; methods: AuthMethod[]; userAgent: string; accessTtlSeconds?: number }): Promise<MintedSession> {
  const { AUTH_FRESH_TTL } = getConfig();
  const now = Date.now();
  // Freshness is a matter of auth_time: to be past the window, the proof was made before it.
  const proofAt = input.state === "freshness_ended" ? new Date(now - (AUTH_FRESH_TTL + 5) * 1000) : new Date(now);
  const issued = await createSession(input.userId, input.userAgent, proofOf(input.methods, proofAt));
  let access = issued.access;
  if (input.state === "not_fresh" || input.state === "access_expired" || input.accessTtlSeconds !== undefined) {
    // not_fresh: what a refresh would have handed out, the same session with
    // fresh: false. An expired one is a genuine token whose exp has passed, so
    // the server answers token_expired and the browser's wrapper refreshes, as
    // in life. accessTtlSeconds: the same token with a life the test chose.
    const life = input.accessTtlSeconds === undefined ? new Date(issued.view.accessExpiresAt) : new Date(now + input.accessTtlSeconds * 1000);
    const expiresAt = input.state === "access_expired" ? new Date(now - 1000) : life;
    const fresh = input.state === "fresh" || input.state === "freshness_ended";
    access = await signAccessToken({ userId: input.userId, sessionId: issued.view.id, fresh, authTime: proofAt, methods: input.methods, expiresAt });
  }
  return { sessionId: issued.view.id, access, refresh: issued.refresh!, csrf: issued.csrf, maxAgeSeconds: Math.floor(issued.maxAgeSeconds) };
}

/**
 * A thief used the browser's refresh token: rotate it twice, out of the
 * browser's sight. The token the browser still holds is now older than the
 * parent, so its next refresh is reuse and ends the session for both.
 */
async function stealRefreshToken(refresh: string): Promise<void> {
  const claims = await verifyToken(refresh, "refresh");
  const first = await rotateRefreshToken(claims);
  await rotateRefreshToken(await verifyToken(first.refresh!, "refresh"));
}

/**
 * A passkey as a completed registration would leave it: a P-256 key pair made
 * here, its public half stored (COSE, as @simplewebauthn stores it) by the
 * app's own addPasskey, security event included. The private half goes to the
 * browser's virtual authenticator, so a sign-in or a "Use a passkey"
 * confirmation in the real UI then runs the real assertion check against it.
 */
async function mintPasskey(userId: string, name: string | undefined): Promise<MintedPasskey> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  // kty EC2, alg ES256, crv P-256, x, y (RFC 9053), the key an authenticator attests.
  const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")]]));
  const credentialId = randomBytes(16).toString("base64url");
  const passkey = await addPasskey(
    userId,
    {
      credentialId,
      publicKey: Buffer.from(cose).toString("base64url"),
      counter: 0,
      transports: ["internal"],
      deviceType: "singleDevice",
      backedUp: false,
      name: name || `Passkey ${(await countPasskeys(userId)) + 1}`,
    },
    { userAgent: "Playwright (auth kit)", ip: "" },
  );
  return {
    id: passkey.id,
    name: passkey.name,
    credentialId,
    privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
    userHandle: Buffer.from(userId, "utf8").toString("base64"),
  };
}

/**
 * Two-step sign-in turned on through the app's own set-up: a sealed seed from
 * startTotpEnrollment, then enableTotp with a correct code, which issues the
 * recovery codes. The code used is the PREVIOUS step's (inside the ±1 window),
 * so the test's authenticator can give the current and next codes at once.
 */
async function turnOnTotp(userId: string): Promise<MintedTotp> {
  const user = await getDb().user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
  const { secret } = await startTotpEnrollment(user);
  const now = Date.now();
  const usedStep = Math.floor(now / 30_000) - 1;
  const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: usedStep * 30_000 });
  const recoveryCodes = await enableTotp(userId, code, now);
  return { secret, recoveryCodes, usedStep };
}

async function handle(request: AgentRequest): Promise<unknown> {
  switch (request.op) {
    case "createUser": {
      const email = normalizeEmail(request.email ?? `kit-${randomUUID().slice(0, 12)}@example.com`);
      const user = await createUser({ email, password: request.password, name: request.name ?? "" });
      if (request.emailVerified) await getDb().user.update({ where: { id: user.id }, data: { emailVerified: true } });
      return { ...user, emailVerified: Boolean(request.emailVerified) };
    }
    case "mintSession":
      return mintSession(request);
    case "probeToken":
      // A genuine access token for a session that does not exist: a server
      // with the same secret answers token_revoked, any other invalid_token.
      return signAccessToken({ userId: randomUUID(), sessionId: randomUUID(), fresh: false, authTime: new Date(), methods: ["password"], expiresAt: new Date(Date.now() + 60_000) });
    case "mintAccess": {
      // A new access token for a session the browser already has: its other cookies stay.
      const { AUTH_FRESH_TTL } = getConfig();
      const now = Date.now();
      const authTime = new Date(request.state === "freshness_ended" ? now - (AUTH_FRESH_TTL + 5) * 1000 : now);
      const expiresAt = new Date(request.state === "access_expired" ? now - 1000 : now + 60_000);
      const fresh = request.state === "freshness_ended";
      return signAccessToken({ userId: request.userId, sessionId: request.sessionId, fresh, authTime, methods: request.methods, expiresAt });
    }
    case "revokeSession":
      await revokeSession(request.sessionId, "revoked_by_test");
      return null;
    case "stealRefreshToken":
      await stealRefreshToken(request.refresh);
      return null;
    case "sessionRow":
      return getDb().session.findUnique({ where: { id: request.sessionId }, select: { revokedAt: true, revokedReason: true, authMethods: true } });
    case "deleteUsers": {
      const { count } = await getDb().user.deleteMany({ where: { OR: [{ id: { in: request.ids } }, { email: { in: request.emails.map(normalizeEmail) } }] } });
      return count;
    }
    case "addPasskey":
      return mintPasskey(request.userId, request.name);
    case "enableTotp":
      return turnOnTotp(request.userId);
  }
}

process.on("message", (message: { id: number; request: AgentRequest }) => {
  handle(message.request).then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies AgentResponse),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies AgentResponse),
  );
});
process.send!({ id: 0, ok: true, result: "ready" } satisfies AgentResponse);
