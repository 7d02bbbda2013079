import type { ClientEnv } from "./api";
import type { TokenClock } from "./refresh";
import { EXPIRY_KEY, GENERATION_KEY, REFRESH_LOCK } from "../shared/storage-keys";
import { createTabChannel } from "./channel";
import { rememberSignOutReason } from "./sign-out-reason";
import { recordSessionEvent } from "./timeline";
import { publishUser } from "./user-store";

// Past this, a tab waiting for the lock stops waiting and refreshes anyway:
// a frozen or crashed holder must never wedge every other tab.
const LOCK_WAIT_MS = 20_000;

/**
 * The CSRF cookie of this scheme, by its exact name: `__Host-csrf_token` over
 * https, `csrf_token` over http. Over https a plain `csrf_token` can only have
 * been planted (by a sibling subdomain, with a longer Path so it comes first),
 * and reading it made every write on that path fail. Two cookies of the exact
 * name cannot be told apart, so neither is sent.
 */
export function readCsrfCookie(cookieString: string, secure: boolean): string | undefined {
  const name = secure ? "__Host-csrf_token" : "csrf_token";
  const values = cookieString
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`));
  if (values.length !== 1) return undefined;
  try {
    return decodeURIComponent(values[0].slice(name.length + 1));
  } catch {
    return undefined;
  }
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // Blocked storage (privacy settings) throws on access.
  }
}

const readNumber = (key: string): number | null => {
  const raw = storage()?.getItem(key);
  const value = raw == null ? NaN : Number(raw);
  return Number.isFinite(value) ? value : null;
};

/**
 * Shared through localStorage so every tab sees every renewal (this tab's own
 * memory when storage is blocked). The expiry is written before the
 * generation: a tab that sees the new generation also sees the new expiry.
 */
export function createClock(): TokenClock {
  const memory = { generation: 0, expiresAt: null as number | null };
  const generation = () => Math.max(memory.generation, readNumber(GENERATION_KEY) ?? 0);
  const expiresAt = () => (storage() ? readNumber(EXPIRY_KEY) : memory.expiresAt);
  const writeExpiry = (value: number | null) => {
    memory.expiresAt = value;
    if (value === null) storage()?.removeItem(EXPIRY_KEY);
    else storage()?.setItem(EXPIRY_KEY, String(value));
  };
  return {
    generation,
    expiresAt,
    record(value, renewed) {
      if (renewed) {
        writeExpiry(value);
        memory.generation = generation() + 1;
        storage()?.setItem(GENERATION_KEY, String(memory.generation));
        return;
      }
      // An answer to an older request must not move the expiry backwards.
      const current = expiresAt();
      if (value !== null && (current === null || value > current)) writeExpiry(value);
    },
  };
}

/**
 * Web Locks release when the callback settles or the tab goes away, so a hot
 * reload or a StrictMode double mount cannot leave the lock held; the refresh
 * itself has a timeout, so the callback always settles.
 */
async function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  // The lease is for browsers without Web Locks (before 2022): only they download it.
  if (!locks) return (await import("./lease")).withLease(task, storage(), LOCK_WAIT_MS);
  try {
    return await locks.request(REFRESH_LOCK, { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, task);
  } catch (error) {
    if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) return task();
    throw error;
  }
}

/** The real browser, touched lazily: this module is also evaluated during server rendering. */
export function browserEnv(): ClientEnv {
  const tabs = createTabChannel();
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    readCsrfToken: () => (typeof document === "undefined" ? undefined : readCsrfCookie(document.cookie, window.location.protocol === "https:")),
    withRefreshLock,
    clock: createClock(),
    goToLogin: (reason) => {
      rememberSignOutReason(reason);
      // From the /resume hand-off, come back to where it was heading, not to /resume.
      const here = window.location.pathname === "/resume" ? new URLSearchParams(window.location.search).get("next") : null;
      const next = here ?? window.location.pathname + window.location.search;
      window.location.assign(`/login?next=${encodeURIComponent(next)}`);
    },
    notify: recordSessionEvent,
    noteUser: publishUser,
    tabs,
    now: () => new Date(),
  };
}
