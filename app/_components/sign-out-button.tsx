"use client";

import { useState } from "react";
import { NetworkError, describeError } from "@/lib/client";
import { signOut } from "@/lib/client/session-actions";
import { useAction } from "./use-action";

export function SignOutButton() {
  const [message, setMessage] = useState<string | null>(null);
  const { run, pending } = useAction(async () => {
    try {
      await signOut();
    } catch (error) {
      // Offline: the session is still alive, so say so instead of pretending.
      if (error instanceof NetworkError) return setMessage(describeError(error));
    }
    window.location.assign("/login?status=signed-out");
  });
  return (
    <>
      {message && (
        <span role="alert" className="field-error">
          {message}
        </span>
      )}
      <button type="button" className="button button-small" onClick={run} aria-disabled={pending || undefined} aria-busy={pending || undefined}>
        Sign out
      </button>
    </>
  );
}
