"use client";

import { useEffect, useState } from "react";
import { SIGN_OUT_MESSAGES, takeSignOutReason } from "@/lib/client/sign-out-notice";

/**
 * Why the visitor is here: the page's own status (account deleted, signed
 * out) or the reason a tab left its session (signed out in another tab,
 * ended from another device, expired). Hidden once `cleared` (the visitor
 * acted again), so an old notice never sits above a new error.
 */
export function LoginNotice({ status, serverReason, cleared }: { status?: string; serverReason?: string | null; cleared: boolean }) {
  const [reason, setReason] = useState<string | null>(null);
  useEffect(() => {
    const taken = takeSignOutReason(serverReason);
    if (taken) setReason(SIGN_OUT_MESSAGES[taken]);
  }, [serverReason]);
  const text = reason ?? status;
  if (cleared || !text) return null;
  return (
    <p role="status" className="notice notice-info">
      {text}
    </p>
  );
}
