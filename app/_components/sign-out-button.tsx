"use client";

import { useState } from "react";
import { api } from "@/lib/client";
import { errorText } from "@/lib/client/error-text";
import { useAction } from "./use-action";

/**
 * Any answer but a 2xx (503 while the database is down, 403, a network
 * error) means the session may still be alive, with every cookie still set:
 * saying "You have signed out" then would leave the next person at this
 * browser signed in. So the page says it did not work and offers Try again.
 */
export function SignOutButton() {
  const [failure, setFailure] = useState<string | null>(null);
  const { run, pending } = useAction(async () => {
    setFailure(null);
    try {
      await api.signOut();
    } catch (error) {
      return setFailure(`Sign-out did not complete: your session may still be active on this device. ${await errorText(error)}`);
    }
    window.location.assign("/login?status=signed-out");
  });
  return (
    <>
      {failure && (
        <>
          <span role="alert" className="field-error">
            {failure}
          </span>
          <button type="button" className="button button-small" onClick={run} aria-disabled={pending || undefined}>
            Try again
          </button>
        </>
      )}
      <button type="button" className="button button-small" onClick={run} aria-disabled={pending || undefined} aria-busy={pending || undefined}>
        Sign out
      </button>
    </>
  );
}
