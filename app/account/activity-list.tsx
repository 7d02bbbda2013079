"use client";

import { useEffect, useRef, useState } from "react";
import useSWR, { useSWRConfig } from "swr";
import useSWRInfinite from "swr/infinite";
import { FormMessage } from "@/app/_components/form-message";
import { useAction } from "@/app/_components/use-action";
import { formatDateTime, useNow } from "@/app/_components/use-now";
import { api, type SessionListItem } from "@/lib/client";
import { eventSentence } from "@/lib/shared/security-event-text";
import { ACTIVITY_PAGE_SIZE, type SecurityEventItem } from "@/lib/shared/security-events";

type Page = { events: SecurityEventItem[] };
type Sessions = { sessions: SessionListItem[] };

const ACTIVITY = "/api/account/activity";

/** Page n continues after the last event of page n−1; a short page is the last one. */
function pageKey(index: number, previous: Page | null): string | null {
  if (index === 0) return ACTIVITY;
  const last = previous?.events.at(-1);
  if (!previous || !last || previous.events.length < ACTIVITY_PAGE_SIZE) return null;
  return `${ACTIVITY}?before=${encodeURIComponent(last.id)}`;
}

interface Props {
  initial: SecurityEventItem[];
  sessions: SessionListItem[];
  /** The server's clock at render: hydration reads the same sentences, then the client's clock takes over. */
  renderedAt: number;
}

/**
 * The account's security events as sentences, newest first. Events of a
 * session that is still signed in (and not this one) get "Sign out that
 * session". Live sessions come from the same SWR entry as the Sessions list,
 * so signing one out here updates that list too, and the reverse.
 */
export function ActivityList({ initial, sessions: initialSessions, renderedAt }: Props) {
  const { mutate: mutateKey } = useSWRConfig();
  const pages = useSWRInfinite<Page>(pageKey, { fallbackData: [{ events: initial }] });
  const sessions = useSWR<Sessions>("/api/sessions", { fallbackData: { sessions: initialSessions } });
  const ticking = useNow(30_000);
  const now = ticking ?? renderedAt;
  const [revoking, setRevoking] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  // Where "Show more" was pressed: focus moves to the first older event once
  // it arrives, so a keyboard user continues from there (the button may vanish).
  const [firstNew, setFirstNew] = useState<number | null>(null);

  const revoke = useAction(async (sessionId: string) => {
    setRevoking(sessionId);
    try {
      await api.delete(`/api/sessions/${encodeURIComponent(sessionId)}`);
      await Promise.all([mutateKey("/api/sessions"), pages.mutate()]);
    } finally {
      setRevoking(null);
    }
  });

  const loaded = pages.data ?? [{ events: initial }];
  const events = loaded.flatMap((page) => page.events);
  const hasMore = (loaded.at(-1)?.events.length ?? 0) >= ACTIVITY_PAGE_SIZE;
  const loadingMore = pages.isValidating && pages.size > loaded.length;
  useEffect(() => {
    if (firstNew === null || events.length <= firstNew) return;
    list.current?.querySelectorAll<HTMLLIElement>(":scope > li")[firstNew]?.focus();
    setFirstNew(null);
  }, [firstNew, events.length]);
  const live = new Set((sessions.data?.sessions ?? initialSessions).filter((s) => !s.current).map((s) => s.id));

  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Security activity</h2>
      <p className="muted">Sign-ins, sign-outs and changes to how you sign in, for the last 90 days.</p>
      {events.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ul className="sessions" aria-labelledby="activity-title" ref={list}>
          {events.map((event) => {
            const sentenceId = `activity-${event.id}`;
            return (
              <li key={event.id} tabIndex={-1}>
                <div>
                  <span id={sentenceId}>{eventSentence(event, now)}</span>
                  {ticking !== null && (
                    <div className="muted small">
                      <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                      {event.ip && ` · ${event.ip}`}
                    </div>
                  )}
                </div>
                {event.sessionId && live.has(event.sessionId) && (
                  <button
                    type="button"
                    className="button button-small"
                    aria-describedby={sentenceId}
                    aria-disabled={revoke.pending || undefined}
                    aria-busy={revoking === event.sessionId || undefined}
                    onClick={() => void revoke.run(event.sessionId!)}
                  >
                    Sign out that session
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <FormMessage error={revoke.error ?? pages.error} />
      {hasMore && (
        <button
          type="button"
          className="button"
          aria-disabled={loadingMore || undefined}
          aria-busy={loadingMore || undefined}
          onClick={() => {
            if (loadingMore) return;
            setFirstNew(events.length);
            void pages.setSize(pages.size + 1);
          }}
        >
          Show more
        </button>
      )}
      <p className="visually-hidden" aria-live="polite">
        {loaded.length > 1 ? `Showing ${events.length} events.` : ""}
      </p>
    </section>
  );
}
