"use client";

import { useSyncExternalStore } from "react";
import { serverTimelineSnapshot, subscribeTimeline, timelineSnapshot, type TimelineEntry } from "@/lib/client/timeline";
import { formatTime, useNow } from "./use-now";

const LABELS: Record<TimelineEntry["kind"], string> = {
  "signed-in": "Signed in with password",
  refreshed: "Access token renewed silently",
  "re-verified": "Password re-confirmed",
  "signed-out": "Signed out",
};

/**
 * What the fetch wrapper did for this session, as it happens. Kept in the
 * browser only (see lib/client/timeline.ts); when this browser has no record
 * yet, the server's last password check is the first entry.
 */
export function SessionTimeline({ authTime }: { authTime: string }) {
  const stored = useSyncExternalStore(subscribeTimeline, timelineSnapshot, serverTimelineSnapshot);
  const now = useNow(60_000);
  const entries: TimelineEntry[] = stored.events.length ? stored.events : [{ kind: "signed-in", at: authTime }];
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ol className="timeline" aria-live="polite">
        {entries.map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            {LABELS[entry.kind]}
            {now !== null && <time dateTime={entry.at}>{formatTime(entry.at)}</time>}
          </li>
        ))}
      </ol>
    </section>
  );
}
