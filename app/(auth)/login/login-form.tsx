"use client";

import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { ApiError } from "@/lib/client/errors";
import { fieldErrors } from "@/lib/client/errors";
import { signIn } from "@/lib/client/session-actions";
import { LoginNotice } from "./login-notice";
import { SecondFactorForm } from "./second-factor-form";

/**
 * `next` was checked on the server (same-origin paths only); `status` is the
 * page's notice, `serverReason` what the server saw of an ended session.
 */
export function LoginForm({ next, status, serverReason }: { next: string; status?: string; serverReason?: string | null }) {
  const [leaving, setLeaving] = useState(false);
  const [acted, setActed] = useState(false);
  // A correct password on an account with an authenticator: the code is still owed.
  const [secondStep, setSecondStep] = useState(false);
  const [restarted, setRestarted] = useState<string | null>(null);
  const leave = () => {
    setLeaving(true);
    // A full load, so every server component renders with the new cookies.
    window.location.assign(next);
  };
  const { run, pending, error } = useAction(async (email: string, password: string) => {
    setRestarted(null);
    try {
      await signIn(email, password);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "second_factor_required") return setSecondStep(true);
      throw caught;
    }
    leave();
  });
  const fields = fieldErrors(error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setActed(true);
    const form = new FormData(event.currentTarget);
    void run(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
  }

  if (secondStep) {
    const restart = (message: string) => {
      setSecondStep(false);
      setRestarted(message);
    };
    return <SecondFactorForm onRestart={restart} onSignedIn={leave} />;
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <LoginNotice status={status} serverReason={serverReason} cleared={acted} />
      {restarted && (
        <p role="alert" className="notice notice-error">
          {restarted}
        </p>
      )}
      {/* "webauthn" lets the browser offer passkeys in this field's autofill (conditional mediation). */}
      <Field label="Email" name="email" type="email" autoComplete="username webauthn" required error={fields.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required error={fields.password} />
      <FormMessage error={error} />
      <SubmitButton pending={pending || leaving} wide>
        Sign in
      </SubmitButton>
    </form>
  );
}
