import type { ActionResult } from "../shared/action-result";
import { ApiError, ClientError, errorFromFailure, errorFromResponse, isSessionGone, NetworkError } from "./errors";
import { createRefresher, localExpiry, type TokenClock } from "./refresh";
import type { SignOutReason, TabChannel } from "./channel";
import type { SessionEvent, SessionInfo, User } from "./types";

/** Everything the wrapper needs from the browser, injectable so tests run without a DOM. */
export interface ClientEnv {
  fetch: typeof fetch;
  /** The CSRF cookie's value (`csrf_token`, or `__Host-csrf_token` over https). */
  readCsrfToken(): string | undefined;
  /** The cross-tab lock every token-writing call holds (Web Locks, or a lease). */
  withRefreshLock<T>(task: () => Promise<T>): Promise<T>;
  clock: TokenClock;
  /** Leave for /login?next=<current path>; the sign-in page says why. */
  goToLogin(reason: SignOutReason): void;
  notify(event: SessionEvent): void;
  /** A response carried the account (`user`), as the server saw it at `stamp` (its `Date`; "latest": newer than anything known). */
  noteUser(user: User, stamp: number | "latest"): void;
  /** The other tabs of this browser. */
  tabs: TabChannel;
  now(): Date;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Serialised once and re-sent verbatim on every retry and replay. */
  json?: unknown;
  /**
   * "session" (default): refresh on token_expired, re-login on
   * fresh_token_required, /login when the session is gone.
   * "public": none of that (login, register, logout answer for themselves).
   */
  auth?: "session" | "public";
  /** false for the fresh-login call itself: it must never open a second dialog. */
  reauth?: boolean;
}

interface SendOptions extends RequestOptions {
  /** Hold the token lock for the exchange (calls that write tokens). */
  exclusive?: boolean;
}

/**
 * Opens the "Confirm it's you" dialog; resolves after a successful
 * fresh-login. It is given the refusal, whose `level` and `methods` say which
 * proofs to offer. `confirmedElsewhere` aborts when another tab confirmed
 * first: the waiting requests are replayed already, the dialog only closes.
 */
export type ReauthHandler = (refusal: ApiError, confirmedElsewhere: AbortSignal) => Promise<void>;

/** What the dialog proves presence with: the body of POST /api/auth/fresh-login. */
export type FreshLoginProof = { password: string } | { passkey: unknown } | { code: string } | { password: string; code: string };

/** A refused refresh or a dead session, in words the sign-in page can use. */
const reasonFor = (code: string): SignOutReason => (code === "token_revoked" ? "ended" : "expired");

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Answers that set new token cookies (which scripts cannot see): the shared
// generation moves, and the expiry is whatever the body says, else unknown.
// A password change re-issues a fresh access token with a 204; keeping the
// old expiry would refresh it away early and lose its freshness.
// Passkey options (…/options) only hand out a challenge: they write no token.
const writesTokens = (path: string) => (path.startsWith("/api/auth/") && !path.endsWith("/options")) || path === "/api/account/password";

/**
 * The fetch wrapper every page uses, and SWR's fetcher. Adds the CSRF header,
 * renews an expired access token once (shared by every request, in every tab),
 * and parks requests that need a fresh token behind one "Confirm it's you" dialog, then
 * replays them with their original method and body.
 */
export function createApiClient(env: ClientEnv) {
  let reauthHandler: ReauthHandler | null = null;
  let reauthInflight: Promise<void> | null = null;
  let reauthElsewhere: AbortController | null = null;
  // The token generation right after the newest confirmation (here or in
  // another tab): a request sent before it that meets fresh_token_required
  // was simply overtaken, and is retried without asking again.
  let confirmedGeneration = -1;
  let leaving = false;

  const now = () => env.now().getTime();
  const csrfHeaders = (): Record<string, string> => {
    const token = env.readCsrfToken();
    return token ? { "X-CSRF-Token": token } : {};
  };
  const goToLogin = (reason: SignOutReason) => {
    if (leaving) return;
    leaving = true;
    env.notify({ kind: "signed-out", at: env.now().toISOString() });
    // The other tabs share the dead cookies: they leave now, not at their next request.
    env.tabs.post({ type: "signed-out", reason });
    env.goToLogin(reason);
  };
  env.tabs.subscribe((message) => {
    if (message.type !== "confirmed") return;
    confirmedGeneration = env.clock.generation();
    reauthElsewhere?.abort();
  });
  const refresher = createRefresher({
    fetch: env.fetch,
    csrfHeaders,
    withLock: env.withRefreshLock,
    clock: env.clock,
    now,
    onRefreshed: (session) => env.notify({ kind: "refreshed", at: env.now().toISOString(), session }),
    onRefused: (code) => goToLogin(reasonFor(code)),
  });

  /**
   * However many requests wait, the dialog opens once and they all share its
   * outcome; a confirmation in another tab settles it too (same cookies).
   */
  function reauthenticate(handler: ReauthHandler, refusal: ApiError): Promise<void> {
    if (!reauthInflight) {
      const elsewhere = new AbortController();
      const confirmed = new Promise<void>((resolve) => elsewhere.signal.addEventListener("abort", () => resolve(), { once: true }));
      reauthElsewhere = elsewhere;
      reauthInflight = Promise.race([handler(refusal, elsewhere.signal), confirmed]).finally(() => {
        reauthInflight = null;
        reauthElsewhere = null;
      });
    }
    return reauthInflight;
  }

  /** One round trip. Answers from /api/auth/* carry new tokens; others may teach the expiry. */
  async function exchange(path: string, init: RequestInit): Promise<{ response: Response; data: unknown }> {
    let response: Response;
    try {
      response = await env.fetch(path, init);
    } catch (cause) {
      throw new NetworkError(cause);
    }
    if (!response.ok || response.status === 204) {
      if (response.ok && writesTokens(path)) env.clock.record(null, true); // logout, password change
      return { response, data: undefined };
    }
    const data: unknown = await response.json().catch(() => undefined);
    const { session, user } = (data ?? {}) as { session?: SessionInfo; user?: User };
    // `Date` has whole seconds: the answer was made somewhere in that second, so
    // it is stamped at its end, never older than a page rendered in it.
    const answeredAt = Date.parse(response.headers.get("date") ?? "");
    if (user && typeof user.id === "string") env.noteUser(user, Number.isFinite(answeredAt) ? answeredAt + 999 : "latest");
    if (writesTokens(path)) env.clock.record(localExpiry(session, response, now()), true);
    else if (session) env.clock.record(localExpiry(session, response, now()), false);
    return { response, data };
  }

  type Outcome<T> = { data: T } | { error: ApiError };

  /**
   * One call under the wrapper's policy, the same for a fetch and a Server
   * Action (`attempt` makes the call and returns its data or its refusal):
   * - the token is known to be expired: renew first, so the call costs one
   *   extra round trip instead of two (it counts as the call's one renewal);
   * - token_expired: renew once (shared by every caller, in every tab), again;
   * - fresh_token_required: again at once if a confirmation here or in another
   *   tab came after the call was sent (it was overtaken); else open the
   *   dialog once, then again with the same arguments;
   * - the session is gone: /login, saying why.
   * `renewFirst` is false for calls that hold the token lock themselves.
   */
  async function underPolicy<T>(attempt: () => Promise<Outcome<T>>, { reauth = true, renewFirst = true } = {}): Promise<T> {
    let renewed = false;
    let confirmed = false;
    let overtaken = false;
    for (;;) {
      if (renewFirst && !renewed && refresher.knownExpired()) {
        renewed = true;
        await refresher.refreshAfter(env.clock.generation());
      }
      const sentGeneration = env.clock.generation();
      const outcome = await attempt();
      if ("data" in outcome) return outcome.data;
      const { error } = outcome;
      if (error.code === "token_expired" && !renewed) {
        renewed = true;
        await refresher.refreshAfter(sentGeneration);
        continue;
      }
      if (error.code === "fresh_token_required" && reauth) {
        if (!overtaken && confirmedGeneration > sentGeneration) {
          overtaken = true;
          continue;
        }
        if (!confirmed && reauthHandler) {
          confirmed = true;
          await reauthenticate(reauthHandler, error);
          continue;
        }
      }
      if (isSessionGone(error)) goToLogin(reasonFor(error.code));
      throw error;
    }
  }

  function request<T>(path: string, options: SendOptions = {}): Promise<T> {
    const method = options.method ?? "GET";
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    const attempt = async (): Promise<Outcome<T>> => {
      // Built again for every attempt: a renewal may have replaced the CSRF cookie.
      const headers: Record<string, string> = { Accept: "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (UNSAFE.has(method)) Object.assign(headers, csrfHeaders());
      const init: RequestInit = { method, headers, body, credentials: "same-origin", cache: "no-store" };
      const { response, data } = options.exclusive ? await env.withRefreshLock(() => exchange(path, init)) : await exchange(path, init);
      return response.ok ? { data: data as T } : { error: await errorFromResponse(response) };
    };
    if (options.auth !== "public") return underPolicy(attempt, { reauth: options.reauth !== false, renewFirst: !options.exclusive });
    // Login, register, logout: they answer for themselves.
    return attempt().then((outcome) => {
      if ("error" in outcome) throw outcome.error;
      return outcome.data;
    });
  }

  /**
   * A guarded Server Action. Its result is a value (never a throw) for auth
   * outcomes, so the same typed ApiError comes out of both kinds of call.
   */
  function runAction<T>(call: () => Promise<ActionResult<T>>): Promise<T> {
    return underPolicy<T>(async (): Promise<Outcome<T>> => {
      let result: ActionResult<T>;
      try {
        result = await call();
      } catch (cause) {
        // Only transport failures throw: the action itself answers with values.
        throw new NetworkError(cause);
      }
      if (!result.ok) return { error: errorFromFailure(result) };
      // An action's answer is the newest word on the account (no Date header to order it by).
      const user = (result.data as { user?: User } | undefined)?.user;
      if (user && typeof user.id === "string") env.noteUser(user, "latest");
      return { data: result.data };
    });
  }

  return {
    request: <T>(path: string, options?: RequestOptions) => request<T>(path, options),
    get: <T>(path: string) => request<T>(path),
    post: <T>(path: string, json?: unknown, options?: RequestOptions) => request<T>(path, { ...options, method: "POST", json }),
    put: <T>(path: string, json?: unknown) => request<T>(path, { method: "PUT", json }),
    patch: <T>(path: string, json?: unknown) => request<T>(path, { method: "PATCH", json }),
    delete: <T = void>(path: string) => request<T>(path, { method: "DELETE" }),
    runAction: <T>(call: () => Promise<ActionResult<T>>) => runAction(call),
    /** The dialog registers itself here; returns the function that unregisters it. */
    setReauthHandler(handler: ReauthHandler): () => void {
      reauthHandler = handler;
      return () => {
        if (reauthHandler === handler) reauthHandler = null;
      };
    },
    /**
     * POST /api/auth/fresh-login for the dialog. Runs under the token lock (a
     * refresh answer landing after it would replace the fresh token with a
     * stale one) and never re-opens the dialog.
     */
    async freshLogin(proof: string | FreshLoginProof): Promise<SessionInfo> {
      const json = typeof proof === "string" ? { password: proof } : proof;
      const { session } = await request<{ session: SessionInfo }>("/api/auth/fresh-login", { method: "POST", json, reauth: false, exclusive: true });
      env.notify({ kind: "re-verified", at: env.now().toISOString(), session });
      confirmedGeneration = env.clock.generation();
      env.tabs.post({ type: "confirmed", at: env.now().toISOString() });
      return session;
    },
    /**
     * PUT /api/account/password. Its 204 re-issues a fresh access token, so,
     * like fresh-login, it runs under the token lock: a refresh answer landing
     * after it would replace that token with a non-fresh one.
     */
    changePassword(currentPassword: string, newPassword: string): Promise<void> {
      return request<void>("/api/account/password", { method: "PUT", json: { currentPassword, newPassword }, exclusive: true });
    },
    /**
     * Renews the access token now (the /resume hand-off of client-side
     * navigations): the same single flight and lock as every other refresh.
     */
    resumeSession(): Promise<void> {
      return refresher.refreshAfter(env.clock.generation());
    },
    /**
     * Before a client-side navigation (or router refresh): renew now when the
     * access token has expired or will within `marginMs`, so the server
     * component renders signed in and no hand-off page is ever shown. A no-op
     * when the token is good or its expiry unknown.
     */
    accessExpiresWithin(marginMs: number): boolean {
      return refresher.expiresWithin(marginMs);
    },
    async renewIfExpiring(marginMs = 0): Promise<boolean> {
      if (!refresher.expiresWithin(marginMs)) return false;
      await refresher.refreshAfter(env.clock.generation());
      return true;
    },
    /**
     * POST /api/auth/logout (it accepts an expired access token, so no refresh
     * is ever needed to leave). Once it answered, the timeline forgets the
     * session and every other tab leaves for /login at once. A method here,
     * not a module of its own: every signed-in page has a Sign out button.
     */
    async signOut(): Promise<void> {
      await request("/api/auth/logout", { method: "POST", auth: "public" });
      env.notify({ kind: "signed-out", at: env.now().toISOString() });
      env.tabs.post({ type: "signed-out", reason: "other-tab" });
    },
    /**
     * For signed-in pages: when another tab signs out, or finds the session
     * ended, this one leaves for /login too, saying why.
     */
    followOtherTabs(): () => void {
      return env.tabs.subscribe((message) => {
        if (message.type !== "signed-out" || leaving) return;
        leaving = true;
        env.goToLogin(message.reason);
      });
    },
    /**
     * Asks the server whether the session still lives (a page restored from
     * the back/forward cache); a dead one goes to /login like any request.
     */
    recheckSession(): Promise<unknown> {
      leaving = false; // A page that left once and was restored may leave again.
      return request("/api/me");
    },
    /**
     * A server-rendered page tells the wrapper when its access token expires
     * (`serverNow` anchors the server's clock to this one).
     */
    noteAccessExpiry(accessExpiresAt: string, serverNow: string): void {
      const expires = Date.parse(accessExpiresAt) - Date.parse(serverNow);
      if (Number.isFinite(expires)) env.clock.record(now() + expires, false);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
export { ApiError, ClientError };
