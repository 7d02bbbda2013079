import { ApiError, ClientError, errorFromResponse, NetworkError } from "./errors";
import { createRefresher, type RefreshGeneration } from "./refresh";
import type { SessionEvent, SessionInfo } from "./types";

/** Everything the wrapper needs from the browser, injectable so tests run without a DOM. */
export interface ClientEnv {
  fetch: typeof fetch;
  /** The CSRF cookie's value (`csrf_token`, or `__Host-csrf_token` over https). */
  readCsrfToken(): string | undefined;
  withRefreshLock<T>(task: () => Promise<T>): Promise<T>;
  generation: RefreshGeneration;
  /** Leave for /login?next=<current path>. */
  goToLogin(): void;
  notify(event: SessionEvent): void;
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

/** Opens the "Confirm your password" dialog; resolves after a successful fresh-login. */
export type ReauthHandler = () => Promise<void>;

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// A live session cannot produce these: the cookies are gone, revoked or forged.
const SIGNED_OUT = new Set(["authorization_required", "invalid_token", "token_revoked"]);

/**
 * The fetch wrapper every page uses, and SWR's fetcher. Adds the CSRF header,
 * renews an expired access token once (shared by every request, in every tab),
 * and parks requests that need a fresh token behind one password dialog, then
 * replays them with their original method and body.
 */
export function createApiClient(env: ClientEnv) {
  let reauthHandler: ReauthHandler | null = null;
  let reauthInflight: Promise<void> | null = null;
  let leaving = false;

  const csrfHeaders = (): Record<string, string> => {
    const token = env.readCsrfToken();
    return token ? { "X-CSRF-Token": token } : {};
  };
  const goToLogin = () => {
    if (leaving) return;
    leaving = true;
    env.notify({ kind: "signed-out", at: env.now().toISOString() });
    env.goToLogin();
  };
  const refreshAfter = createRefresher({
    fetch: env.fetch,
    csrfHeaders,
    withLock: env.withRefreshLock,
    generation: env.generation,
    onRefreshed: (session) => env.notify({ kind: "refreshed", at: env.now().toISOString(), session }),
    onRefused: goToLogin,
  });

  /** However many requests wait, the dialog opens once and they all share its outcome. */
  function reauthenticate(handler: ReauthHandler): Promise<void> {
    reauthInflight ??= handler().finally(() => {
      reauthInflight = null;
    });
    return reauthInflight;
  }

  async function send<T>(path: string, options: RequestOptions, body: string | undefined, tried: { refresh: boolean; reauth: boolean }): Promise<T> {
    const method = options.method ?? "GET";
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (UNSAFE.has(method)) Object.assign(headers, csrfHeaders());
    const sentGeneration = env.generation.read();
    let response: Response;
    try {
      response = await env.fetch(path, { method, headers, body, credentials: "same-origin", cache: "no-store" });
    } catch (cause) {
      throw new NetworkError(cause);
    }
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      return (await response.json().catch(() => undefined)) as T;
    }
    const error = await errorFromResponse(response);
    if (options.auth === "public") throw error;
    if (error.code === "token_expired" && !tried.refresh) {
      await refreshAfter(sentGeneration);
      return send<T>(path, options, body, { ...tried, refresh: true });
    }
    if (error.code === "fresh_token_required" && options.reauth !== false && !tried.reauth && reauthHandler) {
      await reauthenticate(reauthHandler);
      return send<T>(path, options, body, { ...tried, reauth: true });
    }
    if (SIGNED_OUT.has(error.code)) goToLogin();
    throw error;
  }

  function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    return send<T>(path, options, body, { refresh: false, reauth: false });
  }

  return {
    request,
    get: <T>(path: string) => request<T>(path),
    post: <T>(path: string, json?: unknown, options?: RequestOptions) => request<T>(path, { ...options, method: "POST", json }),
    put: <T>(path: string, json?: unknown) => request<T>(path, { method: "PUT", json }),
    patch: <T>(path: string, json?: unknown) => request<T>(path, { method: "PATCH", json }),
    delete: <T = void>(path: string) => request<T>(path, { method: "DELETE" }),
    /** The dialog registers itself here; returns the function that unregisters it. */
    setReauthHandler(handler: ReauthHandler): () => void {
      reauthHandler = handler;
      return () => {
        if (reauthHandler === handler) reauthHandler = null;
      };
    },
    /** POST /api/auth/fresh-login for the dialog: may refresh first, never re-opens the dialog. */
    async freshLogin(password: string): Promise<SessionInfo> {
      const { session } = await request<{ session: SessionInfo }>("/api/auth/fresh-login", { method: "POST", json: { password }, reauth: false });
      env.notify({ kind: "re-verified", at: env.now().toISOString(), session });
      return session;
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
export { ApiError, ClientError };
