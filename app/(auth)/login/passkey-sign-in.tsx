"use client";

import { useEffect, useState } from "react";
import { FormMessage } from "@/app/_components/form-message";
import { useAction } from "@/app/_components/use-action";
import { cancelPasskeyCeremony, PasskeyCancelledError, PasskeyFailedError, signInWithPasskey, supportsPasskeyAutofill, supportsPasskeys } from "@/lib/client/passkeys";

/**
 * "Sign in with a passkey": a discoverable credential, so no e-mail is typed.
 * Where the browser supports conditional mediation, the same sign-in also
 * waits in the Email field's autofill (autocomplete="username webauthn"),
 * and pressing the button replaces that quiet request with a prompt.
 */
export function PasskeySignIn({ next }: { next: string }) {
  const [supported, setSupported] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [autofillError, setAutofillError] = useState<unknown>(null);
  const leave = () => {
    setLeaving(true);
    // A full load, so every server component renders with the new cookies.
    window.location.assign(next);
  };
  const { run, pending, error } = useAction(async () => {
    setAutofillError(null);
    await signInWithPasskey();
    leave();
  });

  // Once per page: `leave` only reads `next`, which a page never changes.
  useEffect(() => {
    // Decided in the browser after hydration: the server cannot know.
    setSupported(supportsPasskeys());
    let active = true;
    void supportsPasskeyAutofill().then(async (autofill) => {
      if (!autofill || !active) return;
      try {
        await signInWithPasskey({ autofill: true });
        leave();
      } catch (caught) {
        // The quiet request is a convenience: replaced by the button's own
        // request, the page leaving, or a browser that gave up on it is not
        // news. Only the server's answer (a refused passkey, a rate limit) is.
        if (active && !(caught instanceof PasskeyCancelledError || caught instanceof PasskeyFailedError)) setAutofillError(caught);
      }
    });
    return () => {
      active = false;
      cancelPasskeyCeremony();
    };
  }, []);

  if (!supported) return null;
  return (
    <div className="passkey-sign-in">
      <p className="divider">
        <span>or</span>
      </p>
      <FormMessage error={error ?? autofillError} />
      <button
        type="button"
        className="button wide"
        aria-disabled={pending || leaving || undefined}
        aria-busy={pending || leaving || undefined}
        onClick={() => void run()}
      >
        Sign in with a passkey
      </button>
    </div>
  );
}
