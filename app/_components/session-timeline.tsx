"use client";

import { useSyncExternalStore } from "react";
import type { SessionInfo } from "@/lib/client";
import { serverTimelineSnapshot, subscribeTimeline, timelineSnapshot, type TimelineEntry } from "@/lib/client/timeline";
import { timelineMoments, type Moment, type MomentKind } from "@/lib/client/timeline-moments";
import { formatTime, useNow } from "./use-now";

const LABELS: Record<MomentKind, string> = {
  "signed-in": "Signed in with password",
  refreshed: "Access token renewed silently",
  "re-verified": "Password re-confirmed",
  "signed-out": "Signed out",
  "access-expired": "Access token expired",
  "fresh-ended": "Fresh window ended",
};

/** What the new token is: the part of a renewal people get wrong ("it renewed, so it is fresh"). */
function detail(moment: Moment): string | null {
  if (!moment.accessExpiresAt) return null;
  const expires = `expires at ${formatTime(moment.accessExpiresAt)}`;
  if (moment.freshUntil) return `fresh until ${formatTime(moment.freshUntil)}, ${expires}`;
  return `not fresh, ${expires}`;
}

/**
 * What happened to this session, as it happens: what the fetch wrapper did,
 * and the moments time made (expiry, the end of the fresh window). Kept in
 * the browser only and shared by every tab (lib/client/timeline.ts); when
 * this browser has no record yet, the server's last proof is the first entry.
 */
export function SessionTimeline({ session }: { session: SessionInfo }) {
  const stored = useSyncExternalStore(subscribeTimeline, timelineSnapshot, serverTimelineSnapshot);
  const now = useNow();
  const first: TimelineEntry = { kind: "signed-in", at: session.authTime, ...(session.fresh ? { accessExpiresAt: session.accessExpiresAt, freshUntil: session.freshUntil } : {}) };
  const entries = stored.events.length ? stored.events : [first];
  const moments = now === null ? entries : timelineMoments(entries, now);
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ol className="timeline" aria-live="polite" aria-labelledby="timeline-title">
        {moments.map((moment, index) => {
          const more = now === null ? null : detail(moment);
          return (
            <li key={`${moment.kind}-${moment.at}-${index}`}>
              {LABELS[moment.kind]}
              {now !== null && <time dateTime={moment.at}>{formatTime(moment.at)}</time>}
              {more && <span className="timeline-detail">{more}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
