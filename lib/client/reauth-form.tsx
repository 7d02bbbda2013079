"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from "react";
import { ApiError, isSessionGone } from "./errors";
import { api } from "./index";
import { describeError } from "./messages";
import { cancelPasskeyCeremony, confirmWithPasskey, PasskeyCancelledError, supportsPasskeys } from "./passkeys";
import { CodeField, codeDemand, proofFromForm } from "./reauth-code";
import { clock, useCountdown } from "./use-countdown";

interface Props {
  /** The fresh_token_required refusal: its `methods` say which proofs this account can give. */
  refusal: ApiError | null;
  /** Receives the control that should have focus when the dialog opens. */
  firstControl: RefObject<HTMLElement | null>;
  onConfirmed(): void;
  /** The session itself is gone (the wrapper is already leaving for /login). */
  onSessionEnded(): void;
  onCancel(): void;
}

type Pending = "password" | "passkey" | null;

/** A warning before the budget runs out, when the server says how much is left. */
function lastAttempts(left: number | undefined): string {
  if (left === undefined || left > 2) return "";
  if (left === 0) return " Confirming is now paused for a while.";
  return ` ${left === 1 ? "One more attempt" : "Two more attempts"} before confirming pauses for a while.`;
}

/**
 * The proofs of "Confirm it's you": a passkey when the account has one (first,
 * as the faster way: one touch, nothing to type), else or also the password.
 * Each ends in the same fresh-login, so the page's request continues the same
 * way whichever the user picks. A rate limit disables Confirm with a live
 * countdown instead of letting the right password be refused too.
 */
export function ReauthForm({ refusal, firstControl, onConfirmed, onSessionEnded, onCancel }: Props) {
  const id = useId();
  const password = useRef<HTMLInputElement | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  // An authenticator code when the account has one; password AND code for level multi_factor.
  const code = codeDemand(refusal);
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const wait = useCountdown(retryUntil);
  const limited = wait > 0;
  // The dialog only ever renders in the browser (it opens on a refusal), so
  // asking the browser here cannot cause a hydration mismatch.
  const passkeyOffered = Boolean(refusal?.methods?.includes("passkey")) && supportsPasskeys();

  // Cancel or Escape while the passkey prompt is up: the prompt goes with the dialog.
  useEffect(() => cancelPasskeyCeremony, []);

  // The dialog (reauth-box.tsx) focuses this control as it opens; should the
  // control mount after that, it takes the focus itself.
  useEffect(() => {
    const element = firstControl.current;
    if (element?.closest("dialog")?.open && !element.contains(document.activeElement)) element.focus();
  }, [firstControl]);

  useEffect(() => {
    if (retryUntil !== null && !limited) {
      setRetryUntil(null);
      setError(null);
      setNotice("You can try again now.");
    }
  }, [retryUntil, limited]);

  function failed(caught: unknown, proof: Exclude<Pending, null>) {
    setPending(null);
    if (isSessionGone(caught)) return onSessionEnded();
    if (caught instanceof PasskeyCancelledError) {
      // The user's own choice: nothing is wrong, the dialog stays as it was.
      return setNotice("The passkey prompt was closed. You can try again, or use your password.");
    }
    if (caught instanceof ApiError && caught.code === "rate_limited" && caught.retryAfter) {
      setRetryUntil(Date.now() + caught.retryAfter * 1000);
      return setError("Too many attempts. For your safety, confirming is paused for a moment.");
    }
    const wrong = caught instanceof ApiError && caught.code === "invalid_credentials";
    if (!wrong) return setError(describeError(caught));
    // Only these proofs were asked for here: say which, not "email and password".
    const typed = code.offered ? "That password or code is not right. Try again." : "That password is not right. Try again.";
    const what = proof === "password" ? typed : "That passkey could not be used. Try again, or use your password.";
    setError(what + lastAttempts(caught.attemptsLeft));
    if (proof === "password") password.current?.select();
  }

  async function run(proof: Exclude<Pending, null>, confirm: () => Promise<unknown>) {
    if (pending || limited) return;
    setPending(proof);
    setError(null);
    setNotice(null);
    try {
      await confirm();
      onConfirmed();
    } catch (caught) {
      failed(caught, proof);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const typed = proofFromForm(password.current?.value ?? "", codeInput.current?.value ?? "", code);
    if (typeof typed === "string") {
      if (!pending && !limited) {
        setError(typed);
        password.current?.focus();
      }
      return;
    }
    void run("password", () => api.freshLogin(typed));
  }

  const waitId = `${id}-wait`;
  return (
    <form onSubmit={onSubmit} noValidate>
      {passkeyOffered && (
        <>
          <button
            ref={(element) => {
              firstControl.current = element;
            }}
            type="button"
            className="button button-primary wide"
            aria-disabled={pending !== null || limited || undefined}
            aria-busy={pending === "passkey" || undefined}
            aria-describedby={limited ? waitId : undefined}
            onClick={() => void run("passkey", confirmWithPasskey)}
          >
            Use a passkey
          </button>
          <p className="divider">
            <span>or enter your password</span>
          </p>
        </>
      )}
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <div className="password-input">
          <input
            ref={(element) => {
              password.current = element;
              if (!passkeyOffered) firstControl.current = element;
            }}
            id={`${id}-password`}
            name="password"
            type={shown ? "text" : "password"}
            autoComplete="current-password"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-invalid={error && !limited ? true : undefined}
          />
          {/* A toggle with a stable name; its pressed state says whether the password is visible. */}
          <button type="button" className="button button-small password-toggle" aria-pressed={shown} aria-controls={`${id}-password`} onClick={() => setShown(!shown)}>
            Show
          </button>
        </div>
        <a className="field-link" href="/forgot-password">
          Forgot password?
        </a>
      </div>
      {code.offered && <CodeField ref={codeInput} id={id} required={code.required} invalid={Boolean(error) && !limited} />}
      {error && (
        <p role="alert" className="notice notice-error">
          {error}
        </p>
      )}
      {limited && (
        <p id={waitId} className="notice notice-info countdown">
          Try again in <time dateTime={`PT${wait}S`}>{clock(wait)}</time>
        </p>
      )}
      <div aria-live="polite">
        {notice && (
          <p role="status" className="notice notice-info">
            {notice}
          </p>
        )}
      </div>
      <div className="actions">
        <button
          type="submit"
          className={passkeyOffered ? "button" : "button button-primary"}
          aria-disabled={pending !== null || limited || undefined}
          aria-busy={pending === "password" || undefined}
          aria-describedby={limited ? waitId : undefined}
        >
          Confirm
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
