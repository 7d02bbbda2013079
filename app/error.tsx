"use client";

import { useEffect, useRef } from "react";

/**
 * What a page shows when rendering it failed on the server: most often the
 * database is briefly unreachable (the API answers 503 then). Production
 * builds hide the cause from the browser, so the message covers both cases
 * and says what matters: nothing was lost, the session is intact (no cookie
 * is touched on the way here), and trying again is safe.
 */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main id="main" className="auth-main">
      <div className="card stack">
        <h1 ref={heading} tabIndex={-1}>
          This page could not load
        </h1>
        <p>The service is briefly unavailable, or something went wrong on our side. You are still signed in and nothing was lost.</p>
        <div className="actions">
          <button type="button" className="button button-primary" onClick={() => reset()}>
            Try again
          </button>
        </div>
      </div>
    </main>
  );
}
