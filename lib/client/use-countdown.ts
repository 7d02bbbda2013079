"use client";

import { useEffect, useState } from "react";

/**
 * Seconds left until `until` (a local timestamp), ticking once a second;
 * 0 when there is nothing to wait for. Drives the "Try again in …" of a
 * rate-limited form from the server's Retry-After.
 */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

/** "0:42", "2:05": a clock a reader takes in at a glance. */
export function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
