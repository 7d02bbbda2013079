"use client";

import { lazy, Suspense, useEffect, useId, useRef, useState } from "react";
import { ApiError, ReauthCancelledError, SessionEndedError } from "./errors";
import { api } from "./index";

// Everything below the heading (the account, the text, the form: password,
// passkey, code) is loaded when the dialog first opens, in one chunk, not with
// every page (decisions 508, 509): most page views never need it, and the
// heading shows at once while it arrives.
// If the chunk cannot be fetched (offline, or a deploy removed it), the dialog
// says so and keeps Cancel, instead of the page falling to its error screen
// with whatever the user had typed.
const ReauthPanel = lazy(() =>
  import("./reauth-panel").then(
    (module) => ({ default: module.ReauthPanel }),
    () => ({ default: FormUnavailable }),
  ),
);

function FormUnavailable({ onCancel }: { onCancel(): void }) {
  return (
    <>
      <p role="alert" className="notice notice-error">
        The confirmation form could not be loaded. Check your connection, then reload the page.
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

/**
 * The one "Confirm it's you" dialog. It registers itself as the wrapper's
 * re-login hook, so any request that meets `fresh_token_required` parks
 * here; the page underneath is never navigated or remounted, so what the
 * user typed is still there when the request is replayed. It names the
 * account being confirmed, so nobody types a password into the wrong one.
 */
export function ReauthDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  // The passkey button when the account has one, else the password field (reauth-form.tsx).
  const firstControl = useRef<HTMLElement | null>(null);
  const waiter = useRef<Waiter | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [open, setOpen] = useState(false);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const id = useId();
  const finishRef = useRef(finish);
  finishRef.current = finish;

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
            setOpen(true);
          }),
      ),
    [],
  );

  useEffect(() => {
    const element = dialog.current;
    if (open && element && !element.open) {
      element.showModal();
      firstControl.current?.focus();
    }
  }, [open]);

  function finish(outcome: "confirmed" | Error) {
    const current = waiter.current;
    waiter.current = null;
    // Close now, not in the effect: focus can only go back once the page is no
    // longer inert behind the modal.
    if (dialog.current?.open) dialog.current.close();
    // Unmounting the form drops what was typed: no password lingers in the DOM.
    setOpen(false);
    returnFocus.current?.focus();
    if (outcome === "confirmed") current?.resolve();
    else current?.reject(outcome);
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
      <h2 id={`${id}-title`}>Confirm it&apos;s you</h2>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading…
          </p>
        }
      >
        <ReauthPanel
          textId={`${id}-text`}
          refusal={refusal}
          firstControl={firstControl}
          onConfirmed={() => finish("confirmed")}
          onSessionEnded={() => finish(new SessionEndedError())}
          onCancel={() => finish(new ReauthCancelledError())}
        />
      </Suspense>
    </dialog>
  );
}
