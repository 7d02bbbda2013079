"use client";

import { useLayoutEffect } from "react";
import { api } from "@/lib/client";
import { notePageSession } from "@/lib/client/timeline";
import type { SessionInfo } from "@/lib/client/types";

/**
 * Tells the fetch wrapper when this page's access token expires, so the first
 * request after that refreshes up front (one extra round trip, not two).
 * `serverNow` anchors the server's clock; renders nothing. It also hands the
 * session to the timeline, which records renewals the wrapper did not make.
 */
export function SessionHint({ session, serverNow }: { session: SessionInfo; serverNow: string }) {
  const { accessExpiresAt } = session;
  // A layout effect, and the header comes first in the tree: this runs before
  // SWR's first fetch on the page, which would otherwise still see the expiry
  // of the token this page load replaced and refresh for nothing.
  useLayoutEffect(() => {
    api.noteAccessExpiry(accessExpiresAt, serverNow);
    notePageSession(session);
  }, [accessExpiresAt, serverNow, session]);
  return null;
}
