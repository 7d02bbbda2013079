"use client";

import { useEffect, useState } from "react";
import { NetworkError } from "./errors";
import { api } from "./index";
import type { ReauthBox, ReauthRequest } from "./reauth-box";

/**
 * The one "Confirm it's you" dialog. Every page has this much of it: the
 * registration as the wrapper's re-login hook, so any request that meets
 * `fresh_token_required` parks here. The dialog itself (reauth-box.tsx: the
 * modal, the account, the text, the proofs) is fetched the first time it
 * opens, in one chunk (decision 510).
 *
 * If that chunk cannot be fetched (offline, or a deploy removed it), no
 * dialog opens and the waiting request fails as a NetworkError: the page
 * says it could not reach the server, and keeps whatever the user typed.
 */
export function ReauthDialog() {
  const [open, setOpen] = useState<{ Box: typeof ReauthBox; request: ReauthRequest } | null>(null);

  useEffect(
    () =>
      api.setReauthHandler(async (refusal, confirmedElsewhere) => {
        const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        let Box: typeof ReauthBox;
        try {
          ({ ReauthBox: Box } = await import("./reauth-box"));
        } catch (cause) {
          throw new NetworkError(cause);
        }
        return new Promise<void>((resolve, reject) => {
          const settle = (outcome: "confirmed" | Error) => {
            setOpen(null);
            if (outcome === "confirmed") resolve();
            else reject(outcome);
          };
          setOpen({ Box, request: { refusal, confirmedElsewhere, returnFocus, settle } });
        });
      }),
    [],
  );

  // Not in the DOM at all while closed: a hidden "Password" field would sit
  // beside the sign-in form's own and confuse label-based tools.
  if (!open) return null;
  return <open.Box request={open.request} />;
}
