"use client";

import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { api, fieldErrors } from "@/lib/client";

/** The answer is the same whether or not the address has an account, and so is this page's. */
export function ForgotPasswordForm() {
  const [sent, setSent] = useState<string | null>(null);
  const { run, pending, error } = useAction(async (email: string) => {
    setSent(null);
    await api.post("/api/auth/password-reset", { email }, { auth: "public" });
    setSent(`If an account exists for ${email.trim()}, a link to reset its password is on its way. It works once, for a short while.`);
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(String(new FormData(event.currentTarget).get("email") ?? ""));
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Field label="Email" name="email" type="email" autoComplete="username" required error={fieldErrors(error).email} />
      <FormMessage error={error} success={sent} />
      <SubmitButton pending={pending} wide>
        Send reset link
      </SubmitButton>
    </form>
  );
}
