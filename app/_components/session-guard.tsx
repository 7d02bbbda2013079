"use client";

import { useEffect } from "react";
import { api } from "@/lib/client";
import { isSessionGone } from "@/lib/client/errors";

/**
 * Keeps a signed-in page from showing anything once its session is over:
 * - another tab signed out (or found the session ended): leave for /login now;
 * - a page put in the back/forward cache is hidden as it goes in, and when it
 *   is restored (`pageshow` with `persisted`), shown again only after the
 *   server says the session lives; a dead one goes to /login;
 * - Back/Forward inside the app asks the server too (a cheap GET /api/me).
 * Renders nothing.
 */
export function SessionGuard() {
  useEffect(() => {
    const root = document.documentElement;
    const stopFollowing = api.followOtherTabs();
    const onPageHide = (event: PageTransitionEvent) => {
      if (event.persisted) root.dataset.sessionCheck = "pending";
    };
    const onPageShow = (event: PageTransitionEvent) => {
      if (!event.persisted) return;
      root.dataset.sessionCheck = "pending";
      api.recheckSession().then(
        () => delete root.dataset.sessionCheck,
        // Offline or busy: the page was fine when it was hidden; show it. A
        // dead session is already on its way to /login, still hidden.
        (error: unknown) => {
          if (!isSessionGone(error)) delete root.dataset.sessionCheck;
        },
      );
    };
    const onPopState = () => void api.recheckSession().catch(() => undefined);
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("pageshow", onPageShow);
    window.addEventListener("popstate", onPopState);
    return () => {
      stopFollowing();
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      window.removeEventListener("popstate", onPopState);
    };
  }, []);
  return null;
}
