"use client";

import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { ApiError } from "@/lib/client/errors";
import { completeSignIn } from "@/lib/client/session-actions";

interface Props {
  /** The pending sign-in is gone (expired, 5 wrong codes, password changed): back to the password. */
  onRestart: (message: string) => void;
  onSignedIn: () => void;
}

/** The second step after a correct password: an authenticator code, or one recovery code. */
export function SecondFactorForm({ onRestart, onSignedIn }: Props) {
  const [useRecovery, setUseRecovery] = useState(false);
  const { run, pending, error, setError } = useAction(async (value: string) => {
    try {
      await completeSignIn(useRecovery ? { recoveryCode: value } : { code: value });
      onSignedIn();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "authorization_required") return onRestart(caught.description);
      throw caught;
    }
  });
  // The server's sentence: after the 5th wrong code it says the password is needed again.
  const wrong = error instanceof ApiError && error.code === "invalid_credentials" ? error.description : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(String(new FormData(event.currentTarget).get("code") ?? "").trim());
  }

  function toggle() {
    setError(null);
    setUseRecovery((on) => !on);
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <p className="muted">{useRecovery ? "Enter one of the recovery codes you saved when you turned on two-step sign-in. Each code works once." : "Open your authenticator app and enter the 6-digit code for Fresh Auth."}</p>
      {wrong ? (
        <p role="alert" className="notice notice-error">
          {wrong}
        </p>
      ) : (
        <FormMessage error={error} />
      )}
      {useRecovery ? (
        <Field key="recovery" label="Recovery code" name="code" autoComplete="off" autoCapitalize="characters" spellCheck={false} required autoFocus />
      ) : (
        <Field key="totp" label="Authenticator code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={7} required autoFocus />
      )}
      <SubmitButton pending={pending} wide>
        Verify
      </SubmitButton>
      <p>
        <button type="button" className="button button-link" onClick={toggle}>
          {useRecovery ? "Use your authenticator app instead" : "Use a recovery code"}
        </button>
      </p>
    </form>
  );
}
