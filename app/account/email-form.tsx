"use client";

import { useState, type FormEvent } from "react";
import { useCurrentUser } from "@/app/_components/use-current-user";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useActionNotices } from "@/app/_components/use-action";
import { ApiError, fieldErrors, type User } from "@/lib/client";
import { useAuthActionState } from "@/lib/client/use-auth-action-state";
import { changeEmail } from "./actions";

const pendingText = (email: string) => `Check ${email} for a link to confirm the change. Until then your email stays the same.`;

/**
 * The `changeEmail` Server Action (the same lib call as PUT
 * /api/account/email) needs a FRESH token. When it is not fresh, the hook
 * opens "Confirm it's you" over this form and calls the action again with the
 * same FormData; the form is never unmounted, so the typed address stays.
 * Without JavaScript yet, the form posts to the action and the page comes
 * back with its result (docs/decisions/1002-action-forms-before-hydration.md).
 * The answer is a pending change: the address changes only when the new one
 * confirms, so the current address stays on screen with the pending one.
 */
export function EmailForm({ user, pendingEmail }: { user: User; pendingEmail: string | null }) {
  // The wrapper publishes every `user` it sees: another tab's change, a confirmed link.
  const current = useCurrentUser(user).email;
  const { state, data, error, formAction, pending: busy } = useAuthActionState(changeEmail);
  // Controlled, so React's reset of the form after each action keeps what was
  // typed (a taken address stays there to fix); cleared below on success.
  const [value, setValue] = useState(state && "email" in state ? (state.email ?? "") : "");
  const [settled, setSettled] = useState(state);
  if (settled !== state) {
    setSettled(state);
    if (data) setValue("");
  }
  // Another form acting on the page clears this one's old error.
  const [dismissed, setDismissed] = useState<unknown>(null);
  const announce = useActionNotices(() => setDismissed(state));
  const shown = dismissed === state ? null : error;

  const pending = data?.pendingEmail ?? pendingEmail;
  const taken = shown instanceof ApiError && shown.code === "email_taken";

  function onSubmit(event: FormEvent) {
    // One change at a time: React would queue a second submit behind the first.
    if (busy) event.preventDefault();
    else announce();
  }

  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <p className="muted">
        Currently <strong data-testid="current-email">{current}</strong>
      </p>
      <form action={formAction} onSubmit={onSubmit} noValidate>
        <Field label="New email" name="email" type="email" autoComplete="email" required value={value} onChange={(e) => setValue(e.target.value)} error={fieldErrors(shown).email ?? (taken ? "That email belongs to another account." : undefined)} />
        <FormMessage error={shown} success={pending && !shown ? pendingText(pending) : null} />
        <SubmitButton pending={busy}>Change email</SubmitButton>
      </form>
    </section>
  );
}
