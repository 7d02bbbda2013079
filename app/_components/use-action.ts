"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";

// Fired when any action on the page starts: every other action's notice
// ("Name saved.", an old error) clears, so messages never pile up.
const ACTION_EVENT = "fresh-auth:action";

/**
 * Runs an async action with a pending flag and the error it threw. A second
 * call while one is pending is ignored: buttons use aria-disabled rather than
 * `disabled`, so focus stays on them (and returns to them after the re-login
 * dialog), which a disabled button would lose. `onReset` clears the caller's
 * own success message when the user acts elsewhere on the page.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>, options: { onReset?: () => void } = {}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const busy = useRef(false);
  const latest = useRef(action);
  latest.current = action;
  const reset = useRef(options.onReset);
  reset.current = options.onReset;
  const id = useId();

  useEffect(() => {
    const onAction = (event: Event) => {
      if ((event as CustomEvent<string>).detail === id) return;
      setError(null);
      reset.current?.();
    };
    window.addEventListener(ACTION_EVENT, onAction);
    return () => window.removeEventListener(ACTION_EVENT, onAction);
  }, [id]);

  const run = useCallback(
    async (...args: A) => {
      if (busy.current) return;
      busy.current = true;
      window.dispatchEvent(new CustomEvent(ACTION_EVENT, { detail: id }));
      setPending(true);
      setError(null);
      try {
        await latest.current(...args);
      } catch (caught) {
        setError(caught);
      } finally {
        busy.current = false;
        setPending(false);
      }
    },
    [id],
  );

  return { run, pending, error, setError };
}
