"use client";

import { useSyncExternalStore } from "react";
import useSWR from "swr";
import type { Me, SessionListItem } from "@/lib/client";
import { serverTimelineSnapshot, subscribeTimeline, timelineSnapshot } from "@/lib/client/timeline";
import { freshForPhrase } from "@/lib/client/timeline-moments";
import { FormMessage } from "./form-message";
import { useAction } from "./use-action";
import { formatDateTime, formatTime, relative, useNow } from "./use-now";

/**
 * Live status of this session. The server rendered the first state (no flash);
 * SWR keeps it current, and the session status that any refresh or
 * re-verification returned, in this tab or another, updates the badge without
 * another request.
 */
export function SessionPanel({ initial }: { initial: Me }) {
  const me = useSWR<Me>("/api/me", { fallbackData: initial, revalidateOnMount: false });
  const sessions = useSWR<{ sessions: SessionListItem[] }>("/api/sessions");
  const timeline = useSyncExternalStore(subscribeTimeline, timelineSnapshot, serverTimelineSnapshot);
  const now = useNow();
  const check = useAction(() => Promise.all([me.mutate(), sessions.mutate()]));

  const base = (me.data ?? initial).session;
  const latest = timeline.latest;
  const session = latest && latest.id === base.id && Date.parse(latest.accessExpiresAt) > Date.parse(base.accessExpiresAt) ? latest : base;
  const freshUntil = session.freshUntil ? new Date(session.freshUntil).getTime() : 0;
  const fresh = session.fresh && (now === null || freshUntil > now);
  const expired = now !== null && new Date(session.accessExpiresAt).getTime() <= now;
  const others = sessions.data?.sessions.filter((s) => !s.current).length;

  return (
    <section className="card" aria-labelledby="status-title">
      <div className="card-header">
        <h2 id="status-title">This session</h2>
        {/* A polite live region: a screen reader hears "Not fresh" when the window ends. */}
        <span className={`badge ${fresh ? "badge-fresh" : "badge-stale"}`} data-testid="fresh-badge" aria-live="polite" aria-atomic="true">
          {fresh ? "Fresh" : "Not fresh"}
        </span>
      </div>
      <p data-testid="fresh-detail">
        {fresh && now !== null ? freshForPhrase(freshUntil - now) : fresh ? "fresh" : "Sensitive actions will ask you to confirm it's you."}
      </p>
      <dl className="facts">
        <dt>Access token</dt>
        <dd data-testid="access-expiry">
          {now === null ? "…" : expired ? `expired at ${formatTime(session.accessExpiresAt)}; the next request renews it silently` : `expires at ${formatTime(session.accessExpiresAt)} (${relative(session.accessExpiresAt, now)})`}
        </dd>
        <dt>Password checked</dt>
        <dd>{now === null ? "…" : formatDateTime(session.authTime)}</dd>
        <dt>Session ends</dt>
        <dd>{now === null ? "…" : formatDateTime(session.refreshExpiresAt)}</dd>
        <dt>Other devices</dt>
        <dd>{others === undefined ? "…" : others === 0 ? "none" : `${others} signed in`}</dd>
      </dl>
      <FormMessage error={check.error ?? me.error ?? sessions.error} />
      <button type="button" className="button" onClick={() => void check.run()} aria-disabled={check.pending || undefined} aria-busy={check.pending || undefined}>
        Check status
      </button>
    </section>
  );
}
