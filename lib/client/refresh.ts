import { ApiError, errorFromResponse, NetworkError, SessionEndedError } from "./errors";
import type { SessionInfo } from "./types";

/** A counter every tab can read: bumped after each successful refresh. */
export interface RefreshGeneration {
  read(): number;
  bump(): void;
}

export interface RefresherDeps {
  fetch: typeof fetch;
  csrfHeaders(): Record<string, string>;
  /** Runs `task` while holding the cross-tab refresh lock. */
  withLock<T>(task: () => Promise<T>): Promise<T>;
  generation: RefreshGeneration;
  onRefreshed(session: SessionInfo): void;
  /** The refresh token was refused: the session is over. */
  onRefused(): void;
}

const REFRESH_TIMEOUT_MS = 15_000;

/**
 * One refresh for everyone. A request remembers the generation it was sent
 * under; when it comes back `token_expired`, a refresh is only run if nobody
 * (this tab or another) has refreshed since. That rule is what keeps a late
 * answer from triggering a stale second rotation: the server would read the
 * old refresh token as reuse and end the session.
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
      deps.generation.bump();
      if (body.session) deps.onRefreshed(body.session);
      return;
    }
    const error: ApiError = await errorFromResponse(response);
    if (error.status === 401) {
      deps.onRefused();
      throw new SessionEndedError();
    }
    throw error;
  }

  /** Resolves once the access cookie is newer than the one sent at `sentGeneration`. */
  return function refreshAfter(sentGeneration: number): Promise<void> {
    if (deps.generation.read() > sentGeneration) return Promise.resolve();
    inflight ??= deps
      .withLock(async () => {
        // Another tab may have refreshed while this one waited for the lock.
        if (deps.generation.read() > sentGeneration) return;
        await postRefresh();
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };
}
