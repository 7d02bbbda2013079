"use client";

import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { api, fieldErrors, type User } from "@/lib/client";

/**
 * PUT /api/account/email needs a FRESH token. When it is not fresh, the
 * wrapper opens "Confirm it's you" over this form and replays the same
 * request afterwards; the form is never unmounted, so the typed address stays.
 */
export function EmailForm({ email }: { email: string }) {
  const [current, setCurrent] = useState(email);
  const [value, setValue] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const { run, pending, error } = useAction(async () => {
    setSaved(null);
    const { user } = await api.put<{ user: User }>("/api/account/email", { email: value });
    setCurrent(user.email);
    setValue("");
    setSaved(`Your email is now ${user.email}.`);
  });

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
        <Field label="New email" name="email" type="email" autoComplete="email" required value={value} onChange={(e) => setValue(e.target.value)} error={fieldErrors(error).email} />
        <FormMessage error={error} success={saved} />
        <SubmitButton pending={pending}>Change email</SubmitButton>
      </form>
    </section>
  );
}
