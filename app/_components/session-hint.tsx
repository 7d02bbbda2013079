"use client";

import { useLayoutEffect } from "react";
import { api } from "@/lib/client";

/**
 * Tells the fetch wrapper when this page's access token expires, so the first
 * request after that refreshes up front (one extra round trip, not two).
 * `serverNow` anchors the server's clock; renders nothing.
 */
export function SessionHint({ accessExpiresAt, serverNow }: { accessExpiresAt: string; serverNow: string }) {
  // A layout effect, and the header comes first in the tree: this runs before
  // SWR's first fetch on the page, which would otherwise still see the expiry
  // of the token this page load replaced and refresh for nothing.
  useLayoutEffect(() => api.noteAccessExpiry(accessExpiresAt, serverNow), [accessExpiresAt, serverNow]);
  return null;
}
