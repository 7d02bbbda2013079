"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { ApiError, api, fieldErrors } from "@/lib/client";
import { takeLinkToken } from "@/lib/client/link-token";

export function ResetPasswordForm() {
  // undefined: not read yet (server render); null: the link had no token.
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [needsCode, setNeedsCode] = useState(false);
  const [leaving, setLeaving] = useState(false);
  useEffect(() => setToken(takeLinkToken()), []);

  const { run, pending, error } = useAction(async (newPassword: string, code: string) => {
    try {
      await api.post("/api/auth/password-reset/confirm", { token, newPassword, ...(code ? { code } : {}) }, { auth: "public" });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "second_factor_required") setNeedsCode(true);
      throw caught;
    }
    setLeaving(true);
    // A full load: the home page renders with the new session's cookies.
    window.location.assign("/");
  });

  if (token === null) {
    return (
      <p role="alert" className="notice notice-error">
        This link is incomplete. Open it from the email again, or <Link href="/forgot-password">ask for a new one</Link>.
      </p>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(String(form.get("newPassword") ?? ""), String(form.get("code") ?? ""));
  }

  const fields = fieldErrors(error);
  const expired = error instanceof ApiError && error.code === "invalid_link";
  return (
    <form onSubmit={onSubmit} noValidate>
      <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." error={fields.newPassword} />
      {needsCode && <Field label="Authenticator code" name="code" inputMode="numeric" autoComplete="one-time-code" required error={fields.code} />}
      <FormMessage error={error} />
      {expired && (
        <p>
          <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      )}
      <SubmitButton pending={pending || leaving || token === undefined} wide>
        Set new password
      </SubmitButton>
    </form>
  );
}
