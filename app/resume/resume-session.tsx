"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { api, SessionEndedError } from "@/lib/client";
import { useErrorText } from "@/lib/client/error-text";

/** Renews the access token (shared lock, one refresh), then replaces this page with `next`. */
export function ResumeSession({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const text = useErrorText(error);

  useEffect(() => {
    let current = true;
    api.resumeSession().then(
      () => current && router.replace(next),
      // A refused refresh is already on its way to /login; anything else can be retried.
      (caught: unknown) => current && !(caught instanceof SessionEndedError) && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [attempt, next, router]);

  if (!error) {
    return (
      <>
        <h1 className="visually-hidden">Loading</h1>
        {/* Like any page on its way: nothing to read, nothing suggesting a sign-in. */}
        <p role="status" className="visually-hidden">
          Loading…
        </p>
      </>
    );
  }
  return (
    <div className="card">
      <h1 className="visually-hidden">Loading</h1>
      <p role="alert" className="notice notice-error">
        {text}
      </p>
      <button
        type="button"
        className="button button-primary"
        onClick={() => {
          setError(null);
          setAttempt((n) => n + 1);
        }}
      >
        Try again
      </button>
    </div>
  );
}
