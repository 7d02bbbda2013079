"use client";

import type { RefObject } from "react";
import useSWR from "swr";
import type { ApiError } from "./errors";
import { ReauthForm } from "./reauth-form";
import type { Me } from "./types";

interface Props {
  /** The id the dialog's aria-describedby points at. */
  textId: string;
  refusal: ApiError | null;
  firstControl: RefObject<HTMLElement | null>;
  onConfirmed(): void;
  onSessionEnded(): void;
  onCancel(): void;
}

/** "10 minutes", "1 minute", "45 seconds": how long a confirmation lasts. */
function lasting(seconds: number): string {
  if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`;
  if (seconds >= 60) return "1 minute";
  return `${seconds} seconds`;
}

/**
 * Everything of "Confirm it's you" below its heading: the account being
 * confirmed (so nobody types a password into the wrong one), what happens
 * next, and the proofs. Loaded with the dialog and the form, in one chunk,
 * when the dialog first opens (decision 510).
 */
export function ReauthPanel({ textId, refusal, firstControl, onConfirmed, onSessionEnded, onCancel }: Props) {
  // Mounted only while the dialog is open; SWR's cache usually has the account.
  const { data: me } = useSWR<Me>("/api/me");
  return (
    <>
      {me && (
        <p className="dialog-account">
          {me.user.name && <span className="dialog-account-name">{me.user.name} · </span>}
          <span className="dialog-account-email">{me.user.email}</span>
        </p>
      )}
      <p id={textId} className="muted">
        This action needs a recent confirmation. Your request will continue as soon as you confirm
        {refusal?.maxAge ? `, and you won't be asked again for ${lasting(refusal.maxAge)}.` : "."}
      </p>
      <ReauthForm refusal={refusal} firstControl={firstControl} onConfirmed={onConfirmed} onSessionEnded={onSessionEnded} onCancel={onCancel} />
    </>
  );
}
