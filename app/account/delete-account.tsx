"use client";

import { useId, useRef } from "react";
import { FormMessage } from "@/app/_components/form-message";
import { useAction } from "@/app/_components/use-action";
import { api, ReauthCancelledError } from "@/lib/client";

/**
 * The danger zone. "Delete permanently" needs a fresh token: if the password
 * was not checked recently, "Confirm it's you" opens above this dialog,
 * and the deletion goes ahead as soon as it succeeds.
 */
export function DeleteAccount() {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const id = useId();
  const remove = useAction(async () => {
    try {
      await api.delete("/api/account");
    } catch (error) {
      // The password step was cancelled: back to the safe choice, where the
      // user was before pressing "Delete permanently".
      if (error instanceof ReauthCancelledError) keep.current?.focus();
      throw error;
    }
    window.location.assign("/login?status=deleted");
    // Stay pending while the browser leaves.
    await new Promise(() => undefined);
  });

  function open() {
    dialog.current?.showModal();
    keep.current?.focus(); // The safe choice has focus; deleting takes a deliberate move.
  }

  function close() {
    dialog.current?.close();
    remove.setError(null);
    opener.current?.focus();
  }

  return (
    <section className="card card-danger" aria-labelledby={`${id}-zone`}>
      <h2 id={`${id}-zone`}>Danger zone</h2>
      <p>Deleting your account removes your profile and signs out every device. It cannot be undone.</p>
      <button ref={opener} type="button" className="button button-danger" onClick={open}>
        Delete account
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
        onCancel={(event) => {
          event.preventDefault(); // Escape closes through the same path as the button.
          if (!remove.pending) close();
        }}
      >
        <h2 id={`${id}-title`}>Delete account?</h2>
        <p id={`${id}-text`}>Your account and every session will be gone for good. You may be asked to confirm your password.</p>
        {/* A cancelled password check is the user's choice: FormMessage shows it calmly, as a status. */}
        <FormMessage error={remove.error} />
        {/* The safe choice first; both fit one row at 390 px. */}
        <div className="actions actions-nowrap">
          <button ref={keep} type="button" className="button" onClick={close}>
            Keep my account
          </button>
          <button type="button" className="button button-danger" aria-disabled={remove.pending || undefined} aria-busy={remove.pending || undefined} onClick={() => void remove.run()}>
            Delete permanently
          </button>
        </div>
      </dialog>
    </section>
  );
}
