"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { FormMessage } from "@/app/_components/form-message";
import { useAction } from "@/app/_components/use-action";
import { api, type User } from "@/lib/client";
import { takeLinkToken } from "@/lib/client/link-token";

/**
 * Opening the link is the confirmation: the token is posted once, on load.
 * Both kinds of link land here (verify an address, confirm a new one).
 */
export function VerifyEmail() {
  const [done, setDone] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const started = useRef(false);
  const { run, pending, error } = useAction(async (token: string) => {
    const { user } = await api.post<{ user: User }>("/api/auth/verify-email", { token }, { auth: "public" });
    setDone(`Your email is confirmed: ${user.email}.`);
  });

  useEffect(() => {
    // Strict mode mounts twice in development; the link is single-use.
    if (started.current) return;
    started.current = true;
    const token = takeLinkToken();
    if (token) void run(token);
    else setMissing(true);
  }, [run]);

  return (
    <>
      {pending && <p role="status">Confirming…</p>}
      {missing && (
        <p role="alert" className="notice notice-error">
          This link is incomplete. Open it from the email again.
        </p>
      )}
      <FormMessage error={error} success={done} />
      <p className="muted">
        <Link href="/account">Go to your account</Link>
      </p>
    </>
  );
}
