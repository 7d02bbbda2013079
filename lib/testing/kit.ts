// The testing kit's Playwright half: puts a browser context into any auth
// state in one line, with real rows and real tokens minted by the app's own
// code (agent.ts) — no UI, no waiting, and no test-only endpoint on the server.
import path from "node:path";
import { request as playwrightRequest, type BrowserContext, type Page } from "@playwright/test";
import { isIP } from "node:net";
import { Secret, TOTP } from "otpauth";
import type { AuthMethod } from "../shared/api-types";
import { EXPIRY_KEY } from "../shared/storage-keys";
import { Agent } from "./agent-client";
import type { MintedPasskey, MintedSession, MintedTotp, SessionState } from "./protocol";
import { addVirtualAuthenticator, type VirtualAuthenticator } from "./virtual-authenticator";

export type { SessionState };

export interface KitOptions {
  /** The app under test, e.g. http://localhost:3000. */
  baseURL: string;
  /** The server's environment: at least DATABASE_URL and AUTH_SECRET (and its TTLs, bcrypt cost). */
  serverEnv: Record<string, string | undefined>;
}

export interface KitUser {
  id: string;
  email: string;
  name: string;
  password: string;
  emailVerified: boolean;
}

export interface KitSession {
  id: string;
  user: KitUser;
  /** The refresh token the browser holds (for stealRefreshToken). */
  refresh: string;
  /** How presence was proved, as the session's tokens say. */
  methods: AuthMethod[];
}

/** A passkey stored for the user and held by the page's virtual authenticator. */
export interface KitPasskey {
  /** The Passkey row's id. */
  id: string;
  name: string;
  /** base64url. */
  credentialId: string;
  /** The page's authenticator: its credentials, or a prompt the user closes (setUserVerified(false)). */
  authenticator: VirtualAuthenticator;
}

/** Two-step sign-in, on; `code()` is the user's authenticator app. */
export interface KitTotp {
  /** The base32 seed, as the set-up screen shows it. */
  secret: string;
  /** The ten codes issued when it was turned on, none used yet. */
  recoveryCodes: string[];
  /**
   * The next code the server will take. A code is accepted once (no replay in
   * its step), so each call moves one step on: the current one and the next
   * (±1 step is allowed) come at once, a third waits for the clock to turn.
   */
  code(): Promise<string>;
}

export interface SignInOptions {
  /** Default "fresh". */
  state?: SessionState;
  /** How presence was proved; default ["password"]. */
  methods?: AuthMethod[];
  userAgent?: string;
  /**
   * The first access token's life, when the test will end it itself
   * (expireAccess, setAccessState): on a slow machine a short server TTL
   * (4 s in e2e) would otherwise run out by itself mid-test and renew at a
   * moment the test does not choose. Default: the server's AUTH_ACCESS_TTL.
   */
  accessTtlSeconds?: number;
}

export const KIT_PASSWORD = "kit password, long enough";
// __dirname, not import.meta: Playwright loads this file as CommonJS, and Node
// would take a file that mentions import.meta for an ES module.
const AGENT = path.join(__dirname, "agent.ts");

/** The cookie names and flags the server uses for this scheme (lib/auth/cookies.ts). */
function cookiesFor(baseURL: string, minted: MintedSession) {
  const url = new URL(baseURL);
  const secure = url.protocol === "https:";
  const expires = Math.floor(Date.now() / 1000) + minted.maxAgeSeconds;
  const base = { domain: url.hostname, secure, expires };
  return [
    { ...base, name: secure ? "__Host-access_token" : "access_token", value: minted.access, path: "/", httpOnly: true, sameSite: "Lax" as const },
    { ...base, name: secure ? "__Secure-refresh_token" : "refresh_token", value: minted.refresh, path: "/api/auth", httpOnly: true, sameSite: "Strict" as const },
    { ...base, name: secure ? "__Host-csrf_token" : "csrf_token", value: minted.csrf, path: "/", httpOnly: false, sameSite: "Lax" as const },
  ];
}

/** One virtual authenticator per page: a second passkey joins the first. */
const authenticators = new WeakMap<Page, Promise<VirtualAuthenticator>>();

/** A TOTP code generator walking forward from the step the server last accepted. */
function authenticatorApp(secret: string, usedStep: number): () => Promise<string> {
  let last = usedStep;
  return async function code() {
    for (;;) {
      const current = Math.floor(Date.now() / 30_000);
      const step = Math.max(last + 1, current);
      if (step <= current + 1) {
        last = step;
        return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * 30_000 });
      }
      await new Promise((resolve) => setTimeout(resolve, (current + 1) * 30_000 - Date.now() + 50));
    }
  };
}

export class AuthKit {
  private readonly agent: Agent;
  private readonly created: string[] = [];
  private verified: Promise<void> | undefined;

  constructor(
    private readonly options: KitOptions,
    shared?: { agent: Agent; verified?: Promise<void> },
  ) {
    if (!options.serverEnv.AUTH_SECRET || !options.serverEnv.DATABASE_URL) {
      throw new Error("auth kit: serverEnv needs the server's AUTH_SECRET and DATABASE_URL");
    }
    this.agent = shared?.agent ?? new Agent(AGENT, options.serverEnv);
    this.verified = shared?.verified;
  }

  /**
   * The same kit (one agent, one secret check) addressing the server by
   * another name, e.g. http://localhost:PORT for passkeys: cookies are set for
   * that host. The fixture gives each test the kit at the test's baseURL.
   */
  at(baseURL: string): AuthKit {
    if (baseURL === this.options.baseURL) return this;
    return new AuthKit({ ...this.options, baseURL }, { agent: this.agent, verified: this.assertSameSecret() });
  }

  /**
   * Refuses to go on against a server whose secret the kit does not have: it
   * presents a genuine token for a session that does not exist. The same
   * secret answers token_revoked; another one, invalid_token.
   */
  assertSameSecret(): Promise<void> {
    this.verified ??= (async () => {
      const probe = await this.agent.call<string>({ op: "probeToken" });
      const api = await playwrightRequest.newContext({ baseURL: this.options.baseURL });
      try {
        const name = new URL(this.options.baseURL).protocol === "https:" ? "__Host-access_token" : "access_token";
        const response = await api.get("/api/me", { headers: { cookie: `${name}=${probe}` } });
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        if (body.error !== "token_revoked") {
          throw new Error(`auth kit: ${this.options.baseURL} does not use the kit's AUTH_SECRET (it answered ${response.status()} ${body.error ?? ""}); refusing to run`);
        }
      } finally {
        await api.dispose();
      }
    })();
    return this.verified;
  }

  /** A user made by the app's own createUser (same hashing, same normalisation). Removed by cleanup(). */
  async createUser(input: { email?: string; name?: string; password?: string; emailVerified?: boolean } = {}): Promise<KitUser> {
    await this.assertSameSecret();
    const password = input.password ?? KIT_PASSWORD;
    const user = await this.agent.call<Omit<KitUser, "password">>({ op: "createUser", ...input, password, name: input.name ?? "Kit User" });
    this.created.push(user.id);
    return { ...user, password };
  }

  /** Signs `context` in as `user`, in the asked state, by minting a real session and its cookies. */
  async signIn(context: BrowserContext, user: KitUser, options: SignInOptions = {}): Promise<KitSession> {
    await this.assertSameSecret();
    const minted = await this.agent.call<MintedSession>({
      op: "mintSession",
      userId: user.id,
      state: options.state ?? "fresh",
      methods: options.methods ?? ["password"],
      userAgent: options.userAgent ?? "Playwright (auth kit)",
      accessTtlSeconds: options.accessTtlSeconds,
    });
    await context.addCookies(cookiesFor(this.options.baseURL, minted));
    return { id: minted.sessionId, user, refresh: minted.refresh, methods: options.methods ?? ["password"] };
  }

  /**
   * Moves a signed-in browser into another state of the SAME session, behind
   * the page's back: e.g. `access_expired` while a page is open, so the next
   * request meets token_expired although the page's clock thinks it is valid.
   */
  async setAccessState(context: BrowserContext, session: KitSession, state: Exclude<SessionState, "fresh">, methods: AuthMethod[] = session.methods): Promise<void> {
    const access = await this.agent.call<string>({ op: "mintAccess", userId: session.user.id, sessionId: session.id, state, methods });
    const [cookie] = cookiesFor(this.options.baseURL, { sessionId: session.id, access, refresh: session.refresh, csrf: "", maxAgeSeconds: 3600 });
    await context.addCookies([cookie]);
  }

  /**
   * The access token's life runs out for the server AND for the page, with no
   * real wait: the cookie becomes a genuine expired token of the same session,
   * and the record every tab keeps of when that token expires (localStorage,
   * lib/shared/storage-keys.ts) says it has passed, as a wait would leave it.
   * The page's wrapper then renews BEFORE its next request. (For a page that
   * does not know, and meets token_expired: setAccessState(…, "access_expired").)
   * What only real time shows (the timeline's "Access token expired" line,
   * computed from the clock) still needs the wait.
   */
  async expireAccess(target: Page | BrowserContext, session: KitSession): Promise<void> {
    const context = "context" in target ? target.context() : target;
    await this.setAccessState(context, session, "access_expired");
    // One page of the origin is enough: every tab reads the same storage. With none open, a page learns at load.
    const origin = new URL(this.options.baseURL).origin;
    const page = context.pages().find((open) => open.url().startsWith(origin));
    await page?.evaluate((key) => localStorage.setItem(key, String(Date.now() - 1000)), EXPIRY_KEY);
  }

  /** Ends the session as another device would (sessions list, password change elsewhere). */
  revokeSession(session: KitSession): Promise<void> {
    return this.agent.call({ op: "revokeSession", sessionId: session.id });
  }

  /** Someone else used this browser's refresh token: its next refresh is reuse, and ends the session. */
  stealRefreshToken(session: KitSession): Promise<void> {
    return this.agent.call({ op: "stealRefreshToken", refresh: session.refresh });
  }

  /** The session's row, to assert what the server did (revoked, and why; how presence was proved). */
  sessionRow(session: KitSession): Promise<{ revokedAt: string | null; revokedReason: string | null; authMethods: string } | null> {
    return this.agent.call({ op: "sessionRow", sessionId: session.id });
  }

  /**
   * Gives `user` a passkey held by `page`: Chromium's virtual authenticator
   * (over CDP) gets a credential whose public key the app stored as if the
   * user had registered it (a real Passkey row, a passkey_added event). The
   * page then signs in with "Sign in with a passkey" or confirms with "Use a
   * passkey" through the real ceremony and the server's real checks. The RP ID
   * is the server's: APP_URL's host, else the kit's baseURL host, which must be
   * a name (address the server as localhost: an IP cannot be an RP ID).
   */
  async addPasskey(page: Page, user: KitUser, options: { name?: string } = {}): Promise<KitPasskey> {
    await this.assertSameSecret();
    const rpId = new URL(this.options.serverEnv.APP_URL ?? this.options.baseURL).hostname;
    if (isIP(rpId.replace(/^\[|\]$/g, ""))) {
      throw new Error(`auth kit: a passkey needs a domain as RP ID, not ${rpId}: address the server as localhost (test.use({ baseURL: "http://localhost:PORT" }))`);
    }
    let ready = authenticators.get(page);
    if (!ready) authenticators.set(page, (ready = addVirtualAuthenticator(page)));
    const authenticator = await ready;
    const minted = await this.agent.call<MintedPasskey>({ op: "addPasskey", userId: user.id, name: options.name });
    await authenticator.cdp.send("WebAuthn.addCredential", {
      authenticatorId: authenticator.authenticatorId,
      credential: {
        credentialId: Buffer.from(minted.credentialId, "base64url").toString("base64"),
        isResidentCredential: true,
        rpId,
        privateKey: minted.privateKey,
        userHandle: minted.userHandle,
        signCount: 0,
        userName: user.email,
        userDisplayName: user.name || user.email,
      },
    });
    return { id: minted.id, name: minted.name, credentialId: minted.credentialId, authenticator };
  }

  /**
   * Turns on two-step sign-in for `user` through the app's own set-up
   * (a sealed seed, a correct code, recovery codes issued). From then on a
   * password sign-in asks for a code: `totp.code()` gives it.
   */
  async enableTotp(user: KitUser): Promise<KitTotp> {
    await this.assertSameSecret();
    const minted = await this.agent.call<MintedTotp>({ op: "enableTotp", userId: user.id });
    return { secret: minted.secret, recoveryCodes: minted.recoveryCodes, code: authenticatorApp(minted.secret, minted.usedStep) };
  }

  /** Deletes the users this kit made, and any addressed by e-mail (registered or renamed in a test). */
  async cleanup(emails: string[] = []): Promise<void> {
    const ids = this.created.splice(0);
    if (ids.length || emails.length) await this.agent.call({ op: "deleteUsers", ids, emails });
  }

  stop(): void {
    this.agent.stop();
  }
}
