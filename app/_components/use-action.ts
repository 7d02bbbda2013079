"use client";

import { useCallback, useRef, useState } from "react";

/**
 * Runs an async action with a pending flag and the error it threw. A second
 * call while one is pending is ignored: buttons use aria-disabled rather than
 * `disabled`, so focus stays on them (and returns to them after the re-login
 * dialog), which a disabled button would lose.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const busy = useRef(false);
  const latest = useRef(action);
  latest.current = action;

  const run = useCallback(async (...args: A) => {
    if (busy.current) return;
    busy.current = true;
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
  }, []);

  return { run, pending, error, setError };
}
