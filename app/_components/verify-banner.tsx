"use client";

import { useState } from "react";
import { FormMessage } from "./form-message";
import { useAction } from "./use-action";
import { api } from "@/lib/client";

/** Shown on / and /account until the address is verified. */
export function VerifyBanner({ email }: { email: string }) {
  const [sent, setSent] = useState<string | null>(null);
  const { run, pending, error } = useAction(async () => {
    setSent(null);
    await api.post("/api/account/email/verification");
    setSent(`Sent. Check ${email} for the new link.`);
  });
  return (
    <section className="card" aria-labelledby="verify-title">
      <h2 id="verify-title">Confirm your email</h2>
      <p>Open the link we emailed you to confirm your address. Until then, a password reset is the only proof that it is yours.</p>
      <FormMessage error={error} success={sent} />
      <button type="button" className="button" onClick={() => void run()} aria-disabled={pending || undefined} aria-busy={pending || undefined}>
        Resend verification email
      </button>
    </section>
  );
}
