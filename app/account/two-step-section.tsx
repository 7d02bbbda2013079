"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { FormMessage } from "@/app/_components/form-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { useAction } from "@/app/_components/use-action";
import { api, fieldErrors } from "@/lib/client";
import { RecoveryCodes } from "./recovery-codes";

type Enrollment = { secret: string; otpauthUrl: string; qrSvg: string };
type State = { step: "off" } | { step: "scan"; enrollment: Enrollment } | { step: "codes"; codes: string[] } | { step: "on" };

/**
 * "Two-step sign-in": set-up (a fresh confirmation is asked for by the
 * server if needed), the QR code and the secret as text, the first code to
 * turn it on, the recovery codes shown once, and "Turn off" (which needs a
 * password plus a code: the dialog asks for both).
 */
export function TwoStepSection({ enabled, recoveryCodesLeft }: { enabled: boolean; recoveryCodesLeft: number }) {
  const id = useId();
  const [state, setState] = useState<State>(enabled ? { step: "on" } : { step: "off" });
  const [done, setDone] = useState<string | null>(null);
  // Server-rendered buttons do nothing until the page is hydrated: say so instead of ignoring a click.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const start = useAction(async () => {
    setDone(null);
    setState({ step: "scan", enrollment: await api.post<Enrollment>("/api/account/totp") });
  });
  const confirm = useAction(async (code: string) => {
    const { recoveryCodes } = await api.post<{ recoveryCodes: string[] }>("/api/account/totp/confirm", { code });
    setState({ step: "codes", codes: recoveryCodes });
  });
  const turnOff = useAction(async () => {
    await api.delete("/api/account/totp");
    setState({ step: "off" });
    setDone("Two-step sign-in is off. Signing in now needs only your password.");
  });
  const error = start.error ?? confirm.error ?? turnOff.error;

  function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void confirm.run(String(new FormData(event.currentTarget).get("code") ?? "").trim());
  }

  const on = state.step === "on" || state.step === "codes";
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Two-step sign-in</h2>
      <p className="muted">
        {on
          ? "On: signing in with your password also asks for a code from your authenticator app."
          : "Ask for a code from an authenticator app (Google Authenticator, 1Password, Aegis…) after your password."}
      </p>
      {state.step !== "scan" && <FormMessage error={confirm.error ? null : error} success={done} />}
      {state.step === "off" && (
        <button type="button" className="button button-primary" disabled={!ready} aria-busy={start.pending || undefined} onClick={() => void start.run()}>
          Set up authenticator app
        </button>
      )}
      {state.step === "scan" && (
        <form onSubmit={onConfirm} noValidate>
          <p>Scan this QR code with your authenticator app, or type the key into it by hand.</p>
          {/* The SVG comes from our own server (the qrcode library): shown as an image, never as markup. */}
          <img className="qr" width={200} height={200} alt="QR code for your authenticator app" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(state.enrollment.qrSvg)}`} />
          <p>
            Key: <code className="totp-secret" aria-label="Setup key">{state.enrollment.secret.match(/.{1,4}/g)?.join(" ")}</code>
          </p>
          <Field label="Authenticator code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={7} required error={fieldErrors(confirm.error).code} />
          {!fieldErrors(confirm.error).code && <FormMessage error={confirm.error} />}
          <SubmitButton pending={confirm.pending}>Turn on</SubmitButton>
        </form>
      )}
      {state.step === "codes" && <RecoveryCodes codes={state.codes} />}
      {state.step === "on" && <p>{recoveryCodesLeft} recovery codes left.</p>}
      {on && (
        <button type="button" className="button" disabled={!ready} aria-busy={turnOff.pending || undefined} onClick={() => void turnOff.run()}>
          Turn off
        </button>
      )}
    </section>
  );
}
