"use client";

import { useEffect } from "react";
import { api } from "@/lib/client";

/**
 * Tells the fetch wrapper when this page's access token expires, so the first
 * request after that refreshes up front (one extra round trip, not two).
 * `serverNow` anchors the server's clock; renders nothing.
 */
export function SessionHint({ accessExpiresAt, serverNow }: { accessExpiresAt: string; serverNow: string }) {
  useEffect(() => api.noteAccessExpiry(accessExpiresAt, serverNow), [accessExpiresAt, serverNow]);
  return null;
}
