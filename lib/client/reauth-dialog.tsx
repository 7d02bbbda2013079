"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import useSWR from "swr";
import { ApiError, isSessionGone, ReauthCancelledError, SessionEndedError } from "./errors";
import { api } from "./index";
import { describeError } from "./messages";
import { CodeField, codeDemand, proofFromForm } from "./reauth-code";
import type { Me } from "./types";

type Waiter = { resolve: () => void; reject: (error: Error) => void };

/** "10 minutes", "1 minute", "45 seconds": how long a confirmation lasts. */
function lasting(seconds: number): string {
  if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`;
  if (seconds >= 60) return "1 minute";
  return `${seconds} seconds`;
}

/**
 * The one "Confirm it's you" dialog. It registers itself as the wrapper's
 * re-login hook, so any request that meets `fresh_token_required` parks
 * here; the page underneath is never navigated or remounted, so what the
 * user typed is still there when the request is replayed. It names the
 * account being confirmed, so nobody types a password into the wrong one.
 */
export function ReauthDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const waiter = useRef<Waiter | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  // The account is read only while the dialog is open (SWR's cache usually has it).
  const { data: me } = useSWR<Me>(open ? "/api/me" : null);
  const id = useId();
  const finishRef = useRef(finish);
  finishRef.current = finish;
  const code = codeDemand(refusal);

  useEffect(
    () =>
      api.setReauthHandler(
        (reason, confirmedElsewhere) =>
          new Promise<void>((resolve, reject) => {
            waiter.current = { resolve, reject };
            setRefusal(reason);
            // Another tab of this session confirmed first: the wrapper is
            // already replaying this tab's requests, so the dialog just closes.
            confirmedElsewhere.addEventListener("abort", () => finishRef.current("confirmed"), { once: true });
            returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
            setError(null);
            setOpen(true);
          }),
      ),
    [],
  );

  useEffect(() => {
    const element = dialog.current;
    if (open && element && !element.open) {
      element.showModal();
      input.current?.focus();
    }
  }, [open]);

  function finish(outcome: "confirmed" | Error) {
    const current = waiter.current;
    waiter.current = null;
    // Close now, not in the effect: focus can only go back once the page is no
    // longer inert behind the modal.
    if (dialog.current?.open) dialog.current.close();
    setOpen(false);
    setPending(false);
    setError(null);
    if (input.current) input.current.value = "";
    if (codeInput.current) codeInput.current.value = "";
    returnFocus.current?.focus();
    if (outcome === "confirmed") current?.resolve();
    else current?.reject(outcome);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const proof = proofFromForm(input.current?.value ?? "", codeInput.current?.value ?? "", code);
    if (typeof proof === "string") {
      setError(proof);
      input.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api.freshLogin(proof);
      finish("confirmed");
    } catch (caught) {
      // The session itself is gone: the wrapper is already leaving for /login.
      // (token_revoked from fresh-login itself included: end quietly, no alert.)
      if (isSessionGone(caught)) return finish(new SessionEndedError());
      setPending(false);
      // Only the password was asked for here: say so, not "email and password".
      const wrong = caught instanceof ApiError && caught.code === "invalid_credentials";
      const what = code.offered ? "That password or code is not right." : "That password is not right.";
      setError(wrong ? `${what} Try again.` : describeError(caught));
      input.current?.select();
    }
  }

  // Not in the DOM at all while closed: a hidden "Password" field would sit
  // beside the sign-in form's own and confuse label-based tools.
  if (!open) return null;
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      onCancel={(event) => {
        event.preventDefault(); // Escape: close through the same path as Cancel.
        finish(new ReauthCancelledError());
      }}
    >
      <form onSubmit={onSubmit} noValidate>
        <h2 id={`${id}-title`}>Confirm it&apos;s you</h2>
        {me && (
          <p className="dialog-account">
            {me.user.name && <span className="dialog-account-name">{me.user.name} · </span>}
            <span className="dialog-account-email">{me.user.email}</span>
          </p>
        )}
        <p id={`${id}-text`} className="muted">
          This action needs a recent confirmation. Your request will continue as soon as you confirm
          {refusal?.maxAge ? `, and you won't be asked again for ${lasting(refusal.maxAge)}.` : "."}
        </p>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input ref={input} id={`${id}-password`} name="password" type="password" autoComplete="current-password" required aria-invalid={error ? true : undefined} />
          <a className="field-link" href="/forgot-password">
            Forgot password?
          </a>
        </div>
        {code.offered && <CodeField ref={codeInput} id={id} required={code.required} invalid={Boolean(error)} />}
        {error && (
          <p role="alert" className="notice notice-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" aria-disabled={pending || undefined} aria-busy={pending || undefined}>
            Confirm
          </button>
          <button type="button" className="button" onClick={() => finish(new ReauthCancelledError())}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
