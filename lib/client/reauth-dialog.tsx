"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError, isSessionGone, ReauthCancelledError, SessionEndedError } from "./errors";
import { api } from "./index";
import { describeError } from "./messages";

type Waiter = { resolve: () => void; reject: (error: Error) => void };

/**
 * The one "Confirm your password" dialog. It registers itself as the
 * wrapper's re-login hook, so any request that meets `fresh_token_required`
 * parks here; the page underneath is never navigated or remounted, so what
 * the user typed is still there when the request is replayed.
 */
export function ReauthDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const waiter = useRef<Waiter | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const finishRef = useRef(finish);
  finishRef.current = finish;

  useEffect(
    () =>
      api.setReauthHandler(
        (confirmedElsewhere) =>
          new Promise<void>((resolve, reject) => {
            waiter.current = { resolve, reject };
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
    returnFocus.current?.focus();
    if (outcome === "confirmed") current?.resolve();
    else current?.reject(outcome);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const password = input.current?.value ?? "";
    if (!password) {
      setError("Enter your password to continue.");
      input.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api.freshLogin(password);
      finish("confirmed");
    } catch (caught) {
      // The session itself is gone: the wrapper is already leaving for /login.
      // (token_revoked from fresh-login itself included: end quietly, no alert.)
      if (isSessionGone(caught)) return finish(new SessionEndedError());
      setPending(false);
      // Only the password was asked for here: say so, not "email and password".
      const wrong = caught instanceof ApiError && caught.code === "invalid_credentials";
      setError(wrong ? "That password is not right. Try again." : describeError(caught));
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
        <h2 id={`${id}-title`}>Confirm your password</h2>
        <p id={`${id}-text`} className="muted">
          This action needs a recent password check. Your request will continue as soon as you confirm.
        </p>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input ref={input} id={`${id}-password`} name="password" type="password" autoComplete="current-password" required aria-invalid={error ? true : undefined} />
        </div>
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
