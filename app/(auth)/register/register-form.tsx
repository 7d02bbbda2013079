"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { fieldErrors } from "@/lib/client/errors";
import { ApiError } from "@/lib/client/errors";
import { register } from "@/lib/client/session-actions";
import { assertFields } from "@/lib/client/validate";
import { passwordProblem } from "@/lib/shared/input-rules";

export function RegisterForm({ next }: { next: string }) {
  const [leaving, setLeaving] = useState(false);
  const { run, pending, error } = useAction(async (input: { name: string; email: string; password: string }) => {
    assertFields({ password: passwordProblem(input.password) });
    await register(input);
    setLeaving(true);
    window.location.assign(next);
  });
  const fields = fieldErrors(error);
  const emailTaken = error instanceof ApiError && error.code === "email_taken";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (key: string) => String(form.get(key) ?? "");
    void run({ name: value("name").trim(), email: value("email"), password: value("password") });
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Field label="Name" name="name" autoComplete="name" error={fields.name} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={
          fields.email ??
          (emailTaken ? (
            <>
              Already registered. <Link href={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`}>Sign in instead?</Link>
            </>
          ) : undefined)
        }
      />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters. Long passphrases are welcome." error={fields.password} />
      <FormMessage error={error} />
      <SubmitButton pending={pending || leaving} wide>
        Create account
      </SubmitButton>
    </form>
  );
}
