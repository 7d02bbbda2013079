"use client";

import { useState } from "react";
import useSWR from "swr";
import { FormMessage } from "@/app/_components/form-message";
import { useAction } from "@/app/_components/use-action";
import { api, type SessionListItem } from "@/lib/client";
import { formatDateTime, useNow } from "@/app/_components/use-now";

type Sessions = { sessions: SessionListItem[] };

/** "Chrome on Linux" from a user agent, or a plain fallback. */
function deviceName(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrom(e|ium)\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : null;
  const system = /Windows/.test(userAgent) ? "Windows" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Mac OS X/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (userAgent ? userAgent.slice(0, 40) : "Unknown device");
}

/**
 * Every live sign-in of this account. Each row is a list item named by its
 * device, so its "Sign out" button is told apart from the header's by the
 * row it sits in (and by its description).
 */
export function SessionsList({ initial }: { initial: SessionListItem[] }) {
  const { data, mutate, error: loadError } = useSWR<Sessions>("/api/sessions", { fallbackData: { sessions: initial } });
  const now = useNow(60_000);
  const [revoking, setRevoking] = useState<string | null>(null);
  const revoke = useAction(async (id: string) => {
    setRevoking(id);
    try {
      await api.delete(`/api/sessions/${encodeURIComponent(id)}`);
      await mutate();
    } finally {
      setRevoking(null);
    }
  });
  const revokeOthers = useAction(async () => {
    await api.delete("/api/sessions");
    await mutate();
  });
  const sessions = data?.sessions ?? initial;
  const others = sessions.filter((s) => !s.current).length;

  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p className="muted">Every browser signed in to this account. Signing one out takes effect on its very next request.</p>
      <ul className="sessions" aria-labelledby="sessions-title">
        {sessions.map((session) => {
          const name = deviceName(session.userAgent);
          const detailId = `session-${session.id}`;
          return (
            <li key={session.id} aria-label={session.current ? `${name}, this device` : name}>
              <div id={detailId}>
                <strong>{name}</strong>
                {session.current && (
                  <>
                    {" "}
                    <span className="badge badge-neutral">This device</span>
                  </>
                )}
                <div className="muted small">
                  Signed in {now === null ? "…" : formatDateTime(session.createdAt)} · last active {now === null ? "…" : formatDateTime(session.lastUsedAt)}
                </div>
              </div>
              {!session.current && (
                <button
                  type="button"
                  className="button button-small"
                  aria-describedby={detailId}
                  aria-disabled={revoke.pending || undefined}
                  aria-busy={revoking === session.id || undefined}
                  onClick={() => void revoke.run(session.id)}
                >
                  Sign out
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <FormMessage error={revoke.error ?? revokeOthers.error ?? loadError} />
      {/* Nothing to sign out: aria-disabled (not `disabled`) keeps focus on it after the last one goes. */}
      <button
        type="button"
        className="button"
        aria-disabled={revokeOthers.pending || others === 0 || undefined}
        aria-busy={revokeOthers.pending || undefined}
        aria-describedby={others === 0 ? "no-other-sessions" : undefined}
        onClick={() => others > 0 && void revokeOthers.run()}
      >
        Sign out other sessions
      </button>
      {others === 0 && (
        <p id="no-other-sessions" className="muted small">
          No other device is signed in.
        </p>
      )}
    </section>
  );
}
