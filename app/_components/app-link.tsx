"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useSyncExternalStore, type ComponentProps } from "react";
import { api, NetworkError, SessionEndedError } from "@/lib/client";
import { errorText } from "@/lib/client/error-text";

// Covers the error of an expiry learned from a whole-second `Date` header
// (up to 1 s late) plus the time the page request takes to reach the server.
const RENEW_MARGIN_MS = 1_500;

/** The one problem a header link may have to report; the header shows it. */
let problem: string | null = null;
const listeners = new Set<() => void>();
function setProblem(next: string | null) {
  problem = next;
  listeners.forEach((listener) => listener());
}

/**
 * An in-app link that keeps client-side navigation invisible after the access
 * token expired: the wrapper knows the expiry, so the token is renewed first
 * (the one shared refresh) and the page is rendered signed in, with the
 * current page and header on screen meanwhile; no hand-off page, no "signing
 * in". Offline, it stays on the page with the forms' calm message instead of
 * leaving for the browser's "site can't be reached" page (and losing typed text).
 */
export function AppLink({ href, ...props }: ComponentProps<typeof Link> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      href={href}
      {...props}
      onNavigate={(event) => {
        if (typeof navigator !== "undefined" && navigator.onLine === false) {
          event.preventDefault();
          return void errorText(new NetworkError()).then(setProblem);
        }
        setProblem(null);
        if (!api.accessExpiresWithin(RENEW_MARGIN_MS)) return;
        event.preventDefault();
        api.renewIfExpiring(RENEW_MARGIN_MS).then(
          () => router.push(href),
          // A refused refresh is already on its way to /login.
          (error: unknown) => void (!(error instanceof SessionEndedError) && errorText(error).then(setProblem)),
        );
      }}
    />
  );
}

/** Where the header says why a link did not go anywhere. */
export function NavProblem() {
  const text = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => problem,
    () => null,
  );
  return (
    <div aria-live="polite" className="nav-problem-region">
      {text && (
        <p role="status" className="notice notice-info nav-problem">
          {text}
        </p>
      )}
    </div>
  );
}
