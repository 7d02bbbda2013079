import type { TimelineEntry } from "./timeline";

/**
 * The moments a person watching the session should see. Events are what the
 * wrapper did; two moments are nobody's action, only time passing, so they
 * are derived from the events and the clock: the access token expiring, and
 * the fresh window ending while the fresh token was still the current one.
 * Derived the same way from the same shared record, every tab of the browser
 * shows the same timeline.
 */
export type MomentKind = TimelineEntry["kind"] | "access-expired" | "fresh-ended";

export interface Moment {
  kind: MomentKind;
  at: string;
  /** For renewals and proofs: the new token's expiry and fresh window. */
  accessExpiresAt?: string;
  freshUntil?: string | null;
}

export function timelineMoments(entries: TimelineEntry[], now: number): Moment[] {
  const moments: Moment[] = [];
  entries.forEach((entry, index) => {
    moments.push(entry);
    // This token was current until the next event replaced it (or until now).
    const replacedAt = index + 1 < entries.length ? Date.parse(entries[index + 1].at) : now;
    const freshUntil = entry.freshUntil ? Date.parse(entry.freshUntil) : NaN;
    if (freshUntil <= replacedAt) moments.push({ kind: "fresh-ended", at: entry.freshUntil as string });
    const expires = entry.accessExpiresAt ? Date.parse(entry.accessExpiresAt) : NaN;
    if (expires <= replacedAt) moments.push({ kind: "access-expired", at: entry.accessExpiresAt as string });
  });
  // Stable: an event and a moment at the same instant keep their order.
  return moments.map((m, i) => ({ m, i })).sort((a, b) => Date.parse(a.m.at) - Date.parse(b.m.at) || a.i - b.i).map(({ m }) => m);
}

/**
 * "fresh for 7 more minutes", and in the last minute the seconds: a
 * countdown that said "1 more minute" from 59 s down to 0 would be wrong.
 */
export function freshForPhrase(msLeft: number): string {
  if (msLeft < 60_000) {
    const seconds = Math.max(1, Math.ceil(msLeft / 1000));
    return `fresh for ${seconds} more second${seconds === 1 ? "" : "s"}`;
  }
  const minutes = Math.ceil(msLeft / 60_000);
  return `fresh for ${minutes} more minute${minutes === 1 ? "" : "s"}`;
}
