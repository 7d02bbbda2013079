import type { SessionEvent, SessionInfo } from "./types";

/**
 * The home page's "what happened to this session" list. It lives entirely in
 * the browser: the wrapper reports what it did (sign-in, silent refresh,
 * password re-check) and every open tab sees it through the `storage` event.
 * Only kinds and times are stored, never a token.
 */
const KEY = "fresh-auth:timeline";
const MAX_EVENTS = 12;

export interface TimelineEntry {
  kind: SessionEvent["kind"];
  at: string;
  /** The token this event produced: when it expires, and until when it is fresh (null: not fresh). */
  accessExpiresAt?: string;
  freshUntil?: string | null;
}

const entryOf = (kind: SessionEvent["kind"], at: string, session?: SessionInfo): TimelineEntry =>
  session ? { kind, at, accessExpiresAt: session.accessExpiresAt, freshUntil: session.fresh ? session.freshUntil : null } : { kind, at };

interface Stored {
  sessionId: string | null;
  events: TimelineEntry[];
  /** The newest session status any tab has seen (times and flags only), so badges follow without refetching. */
  latest?: SessionInfo;
}

const EMPTY: Stored = { sessionId: null, events: [] };
const listeners = new Set<() => void>();
let cachedRaw: string | null = null;
let cached: Stored = EMPTY;

function read(): Stored {
  let raw: string | null = null;
  try {
    raw = typeof localStorage === "undefined" ? null : localStorage.getItem(KEY);
  } catch {
    return cached;
  }
  if (raw === cachedRaw) return cached;
  cachedRaw = raw;
  try {
    const parsed = raw ? (JSON.parse(raw) as Stored) : EMPTY;
    cached = Array.isArray(parsed.events) ? parsed : EMPTY;
  } catch {
    cached = EMPTY;
  }
  return cached;
}

function write(value: Stored): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(value));
  } catch {
    cached = value; // Storage blocked: keep this tab's view at least.
    cachedRaw = null;
  }
  listeners.forEach((listener) => listener());
}

export function recordSessionEvent(event: SessionEvent): void {
  if (typeof window === "undefined") return;
  const current = read();
  if (event.kind === "signed-out") return write(EMPTY);
  const sessionId = event.session?.id ?? current.sessionId;
  // A new sign-in starts a new story; so does an event from a different session.
  const events = event.kind === "signed-in" || sessionId !== current.sessionId ? [] : current.events;
  const latest = event.session ?? (sessionId === current.sessionId ? current.latest : undefined);
  write({ sessionId, events: [...events, entryOf(event.kind, event.at, event.session)].slice(-MAX_EVENTS), latest });
}

/**
 * A page rendered on the server reports the session it saw. When its access
 * token is newer than the newest one the wrapper reported, something renewed
 * it out of the wrapper's sight: the full-page-load hand-off
 * (/api/auth/resume, no script involved), or a password change (a 204 with no
 * body). Record that, so the timeline tells the whole story. On a first
 * visit there is nothing to compare with: the session is only remembered.
 */
export function notePageSession(session: SessionInfo): void {
  if (typeof window === "undefined") return;
  const current = read();
  const known = current.latest;
  if (!known || known.id !== session.id) {
    // First sight of this session in this browser's timeline: remember it
    // quietly. With no story yet, it starts at the last proof; a fresh token
    // is the one that proof produced, so its expiry and window belong there.
    const events = current.sessionId === session.id && current.events.length ? current.events : [entryOf("signed-in", session.authTime, session.fresh ? session : undefined)];
    return write({ sessionId: session.id, events, latest: session });
  }
  if (!(Date.parse(session.accessExpiresAt) > Date.parse(known.accessExpiresAt))) return;
  const kind = session.fresh && session.authTime !== known.authTime ? "re-verified" : "refreshed";
  recordSessionEvent({ kind, at: new Date().toISOString(), session });
}

/** For useSyncExternalStore. */
export function subscribeTimeline(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function timelineSnapshot(): Stored {
  return read();
}

export function serverTimelineSnapshot(): Stored {
  return EMPTY;
}
