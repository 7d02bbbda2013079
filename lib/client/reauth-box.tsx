"use client";

import { useCallback, useEffect, useId, useRef } from "react";
import { ReauthCancelledError, SessionEndedError, type ApiError } from "./errors";
import { ReauthPanel } from "./reauth-panel";

/** One refusal waiting in the dialog (reauth-dialog.tsx makes it). */
export interface ReauthRequest {
  refusal: ApiError;
  /** Aborts when another tab confirmed first: the wrapper replays already, the dialog only closes. */
  confirmedElsewhere: AbortSignal;
  /** Where focus was when the dialog opened; it goes back there. */
  returnFocus: HTMLElement | null;
  /** Closes the dialog (unmounts this) and answers the waiting requests. */
  settle(outcome: "confirmed" | Error): void;
}

/**
 * "Confirm it's you" itself: the modal, its heading, the account, the text
 * and the proofs (reauth-panel.tsx, reauth-form.tsx). All of it arrives in
 * one chunk the first time a request meets fresh_token_required on this page
 * (decision 510); most page views never need it. The page underneath is
 * never navigated or remounted, so what the user typed is still there when
 * the request is replayed.
 */
export function ReauthBox({ request }: { request: ReauthRequest }) {
  const dialog = useRef<HTMLDialogElement>(null);
  // The passkey button when the account has one, else the password field (reauth-form.tsx).
  const firstControl = useRef<HTMLElement | null>(null);
  const settled = useRef(false);
  const id = useId();

  const finish = useCallback(
    (outcome: "confirmed" | Error) => {
      if (settled.current) return;
      settled.current = true;
      // Close now, not in an effect: focus can only go back once the page is
      // no longer inert behind the modal. Unmounting the form (settle) drops
      // what was typed: no password lingers in the DOM.
      if (dialog.current?.open) dialog.current.close();
      request.returnFocus?.focus();
      request.settle(outcome);
    },
    [request],
  );

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      element.showModal();
      firstControl.current?.focus();
    }
    const { confirmedElsewhere } = request;
    const closeConfirmed = () => finish("confirmed");
    if (confirmedElsewhere.aborted) closeConfirmed();
    else confirmedElsewhere.addEventListener("abort", closeConfirmed, { once: true });
    return () => confirmedElsewhere.removeEventListener("abort", closeConfirmed);
  }, [request, finish]);

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
      <ReauthPanel
        textId={`${id}-text`}
        refusal={request.refusal}
        firstControl={firstControl}
        onConfirmed={() => finish("confirmed")}
        onSessionEnded={() => finish(new SessionEndedError())}
        onCancel={() => finish(new ReauthCancelledError())}
      />
    </dialog>
  );
}
