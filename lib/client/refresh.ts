import { errorFromResponse, NetworkError, SessionEndedError } from "./errors";
import type { SessionInfo } from "./types";

/**
 * What every tab of the browser knows about the access cookie: a generation
 * bumped each time new tokens land (refresh, fresh-login), and when the
 * current access token expires on this machine's clock, when known.
 */
export interface TokenClock {
  generation(): number;
  expiresAt(): number | null;
  /** Records the expiry learned from a response; `renewed` also bumps the generation. */
  record(expiresAt: number | null, renewed: boolean): void;
}

export interface RefresherDeps {
  fetch: typeof fetch;
  csrfHeaders(): Record<string, string>;
  /** Runs `task` while holding the cross-tab token lock. Not re-entrant. */
  withLock<T>(task: () => Promise<T>): Promise<T>;
  clock: TokenClock;
  now(): number;
  onRefreshed(session: SessionInfo): void;
  /** The refresh token was refused (`code` says how): the session is over. */
  onRefused(code: string): void;
}

const REFRESH_TIMEOUT_MS = 15_000;

/**
 * The access token's expiry on the local clock. The server's `Date` header
 * anchors it, so a browser whose clock is off by an hour neither refreshes
 * before every request nor never; without the header, nothing is assumed.
 */
export function localExpiry(session: Pick<SessionInfo, "accessExpiresAt"> | undefined, response: Response, now: number): number | null {
  const expires = Date.parse(session?.accessExpiresAt ?? "");
  const serverNow = Date.parse(response.headers.get("date") ?? "");
  if (!Number.isFinite(expires) || !Number.isFinite(serverNow)) return null;
  // `Date` has whole seconds, so this errs late: at worst the request meets
  // token_expired and takes the reactive path.
  return now + (expires - serverNow);
}

/**
 * One refresh for everyone. A request remembers the generation it was sent
 * under; when it comes back `token_expired`, a refresh is only run if nobody
 * (this tab or another) has renewed the tokens since. That rule keeps a late
 * answer from starting a stale second rotation (the server would read the old
 * refresh token as reuse and end the session). Every call that writes tokens
 * runs under one cross-tab lock, so their answers land in the order they were
 * asked and a slow refresh can never overwrite a newer fresh token.
 */
export function createRefresher(deps: RefresherDeps) {
  let inflight: Promise<void> | null = null;

  async function postRefresh(): Promise<void> {
    let response: Response;
    try {
      // The timeout bounds how long the cross-tab lock can be held.
      const signal = typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(REFRESH_TIMEOUT_MS) : undefined;
      response = await deps.fetch("/api/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", ...deps.csrfHeaders() },
        signal,
      });
    } catch (cause) {
      throw new NetworkError(cause);
    }
    if (response.ok) {
      const body = (await response.json().catch(() => ({}))) as { session?: SessionInfo };
      // Still inside the lock: no other tab can act on the old generation now.
      deps.clock.record(localExpiry(body.session, response, deps.now()), true);
      if (body.session) deps.onRefreshed(body.session);
      return;
    }
    const error = await errorFromResponse(response);
    if (error.status === 401) {
      deps.onRefused(error.code);
      throw new SessionEndedError();
    }
    throw error;
  }

  /** Resolves once the access cookie is newer than the one sent at `sentGeneration`. */
  function refreshAfter(sentGeneration: number): Promise<void> {
    if (deps.clock.generation() > sentGeneration) return Promise.resolve();
    inflight ??= deps
      .withLock(async () => {
        // Another tab may have refreshed while this one waited for the lock.
        if (deps.clock.generation() > sentGeneration) return;
        await postRefresh();
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  /** True when the access token is known to have expired: refreshing first saves a round trip. */
  function knownExpired(): boolean {
    return expiresWithin(0);
  }

  /** True when the access token is known to expire within `marginMs` (0: has expired). */
  function expiresWithin(marginMs: number): boolean {
    const expiresAt = deps.clock.expiresAt();
    return expiresAt !== null && expiresAt <= deps.now() + marginMs;
  }

  return { refreshAfter, knownExpired, expiresWithin };
}
