"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";

// Fired when any action on the page starts: every other action's notice
// ("Name saved.", an old error) clears, so messages never pile up.
const ACTION_EVENT = "fresh-auth:action";

/**
 * Page-wide notices: `onReset` runs when ANOTHER action on the page starts;
 * the returned function announces that this one starts. For forms that keep
 * their result elsewhere (useActionState); `useAction` uses it too.
 */
export function useActionNotices(onReset: () => void): () => void {
  const reset = useRef(onReset);
  reset.current = onReset;
  const id = useId();

  useEffect(() => {
    const onAction = (event: Event) => {
      if ((event as CustomEvent<string>).detail !== id) reset.current();
    };
    window.addEventListener(ACTION_EVENT, onAction);
    return () => window.removeEventListener(ACTION_EVENT, onAction);
  }, [id]);

  return useCallback(() => void window.dispatchEvent(new CustomEvent(ACTION_EVENT, { detail: id })), [id]);
}

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
  const announce = useActionNotices(() => {
    setError(null);
    options.onReset?.();
  });

  const run = useCallback(
    async (...args: A) => {
      if (busy.current) return;
      busy.current = true;
      announce();
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
    [announce],
  );

  return { run, pending, error, setError };
}
