"use client";

import { useState, type FormEvent } from "react";
import { useSWRConfig } from "swr";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { ApiError, api, fieldErrors } from "@/lib/client";
import { assertFields } from "@/lib/client/validate";
import { newPasswordProblem } from "@/lib/shared/input-rules";

/** The current password is the proof here, so no fresh token is needed; other sessions end. */
export function PasswordForm({ email }: { email: string }) {
  const { mutate } = useSWRConfig();
  const [saved, setSaved] = useState<string | null>(null);
  const { run, pending, error } = useAction(async (form: HTMLFormElement) => {
    setSaved(null);
    const data = new FormData(form);
    const currentPassword = String(data.get("currentPassword") ?? "");
    const newPassword = String(data.get("newPassword") ?? "");
    if (currentPassword) assertFields({ newPassword: newPasswordProblem(currentPassword, newPassword) });
    await api.changePassword(currentPassword, newPassword);
    form.reset();
    setSaved("Password changed. Every other device has been signed out.");
    await mutate("/api/sessions");
  }, { onReset: () => setSaved(null) });
  // Here invalid_credentials can only mean the current password was wrong.
  const wrongPassword = error instanceof ApiError && error.code === "invalid_credentials";
  const fields = wrongPassword ? { currentPassword: "That is not your current password." } : fieldErrors(error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(event.currentTarget);
  }

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={onSubmit} noValidate>
        {/* Lets password managers tie the new password to the right account. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <div className="grid">
          <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={fields.currentPassword} />
          <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." error={fields.newPassword} />
        </div>
        {wrongPassword ? (
          <p role="alert" className="notice notice-error">
            Your password was not changed.
          </p>
        ) : (
          <FormMessage error={error} success={saved} />
        )}
        <SubmitButton pending={pending}>Change password</SubmitButton>
      </form>
    </section>
  );
}
