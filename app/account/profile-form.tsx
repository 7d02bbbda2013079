"use client";

import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { fieldErrors } from "@/lib/client";
import { useAuthAction } from "@/lib/client/use-auth-action";
import { assertFields } from "@/lib/client/validate";
import { nameProblem } from "@/lib/shared/input-rules";
import { updateProfile } from "./actions";

/**
 * The name, saved through a Server Action (the same lib call as PATCH
 * /api/me). It needs a session, not a fresh one, so an expired token is
 * renewed silently and the action called again.
 */
export function ProfileForm({ name }: { name: string }) {
  const [value, setValue] = useState(name);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useAuthAction(updateProfile);
  const { run, pending, error } = useAction(async () => {
    setSaved(null);
    assertFields({ name: nameProblem(value) });
    const { user } = await save(value);
    setValue(user.name);
    setSaved("Name saved.");
  }, { onReset: () => setSaved(null) });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void run();
  }

  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Name" name="name" autoComplete="name" value={value} onChange={(e) => setValue(e.target.value)} error={fieldErrors(error).name} />
        <FormMessage error={error} success={saved} />
        <SubmitButton pending={pending}>Save</SubmitButton>
      </form>
    </section>
  );
}
