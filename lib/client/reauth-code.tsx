"use client";

import { forwardRef } from "react";
import type { ApiError } from "./errors";
import type { FreshLoginProof } from "./api";

/**
 * The authenticator-code part of "Confirm it's you", kept apart from the
 * password and passkey parts so each factor's piece of the dialog stays small.
 * The refusal decides: the field appears when the account has TOTP
 * (`methods` includes "totp"); for level multi_factor both the password and
 * a code are needed, sent in ONE request (decision 901).
 */
export function codeDemand(refusal: Pick<ApiError, "methods" | "level"> | null): { offered: boolean; required: boolean } {
  const offered = Boolean(refusal?.methods?.includes("totp"));
  // A passkey (its own button) also meets multi_factor; in this form it takes both.
  return { offered, required: offered && refusal?.level === "multi_factor" };
}

/** The fresh-login body from what was typed, or the sentence that says what is missing. */
export function proofFromForm(password: string, code: string, demand: { offered: boolean; required: boolean }): FreshLoginProof | string {
  const digits = code.replace(/\s/g, "");
  if (demand.required) {
    if (!password || !digits) return "Enter your password and the code from your authenticator app.";
    return { password, code: digits };
  }
  if (password && digits && demand.offered) return { password, code: digits };
  if (password) return { password };
  if (digits && demand.offered) return { code: digits };
  return demand.offered ? "Enter your password or the code from your authenticator app." : "Enter your password to continue.";
}

export const CodeField = forwardRef<HTMLInputElement, { id: string; required: boolean; invalid: boolean }>(function CodeField({ id, required, invalid }, ref) {
  return (
    <div className="field">
      <label htmlFor={`${id}-code`}>Authenticator code</label>
      <input ref={ref} id={`${id}-code`} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={7} required={required} aria-invalid={invalid || undefined} />
      <p className="field-hint">{required ? "This action needs your password and a code from your authenticator app." : "Or confirm with the 6-digit code from your authenticator app."}</p>
    </div>
  );
});
