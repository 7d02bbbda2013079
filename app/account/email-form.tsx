"use client";

import { useState, type FormEvent } from "react";
import { useCurrentUser } from "@/app/_components/use-current-user";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { ApiError, api, fieldErrors, type User } from "@/lib/client";

const pendingText = (email: string) => `Check ${email} for a link to confirm the change. Until then your email stays the same.`;

/**
 * PUT /api/account/email needs a FRESH token. When it is not fresh, the
 * wrapper opens "Confirm it's you" over this form and replays the same
 * request afterwards; the form is never unmounted, so the typed address stays.
 * The answer is 202: the address changes only when the new one confirms, so
 * the current address stays on screen with the pending one beside it.
 */
export function EmailForm({ user, pendingEmail }: { user: User; pendingEmail: string | null }) {
  // The wrapper publishes every `user` it sees: another tab's change, a confirmed link.
  const current = useCurrentUser(user).email;
  const [value, setValue] = useState("");
  const [pending, setPending] = useState(pendingEmail);
  const { run, pending: busy, error } = useAction(async () => {
    const answer = await api.put<{ pendingEmail: string }>("/api/account/email", { email: value });
    setPending(answer.pendingEmail);
    setValue("");
  });

  const taken = error instanceof ApiError && error.code === "email_taken";

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void run();
  }

  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <p className="muted">
        Currently <strong data-testid="current-email">{current}</strong>
      </p>
      <form onSubmit={onSubmit} noValidate>
        <Field label="New email" name="email" type="email" autoComplete="email" required value={value} onChange={(e) => setValue(e.target.value)} error={fieldErrors(error).email ?? (taken ? "That email belongs to another account." : undefined)} />
        <FormMessage error={error} success={pending && !error ? pendingText(pending) : null} />
        <SubmitButton pending={busy}>Change email</SubmitButton>
      </form>
    </section>
  );
}
