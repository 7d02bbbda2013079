"use client";

import { useActionState } from "react";
import type { ActionResult } from "../shared/action-result";
import { errorFromFailure } from "./errors";
import { api } from "./index";

/** The action's own answer (a submit before hydration), the data, or what the wrapper threw. */
type State<R> = R | { ok: true; data: Data<R> } | { ok: false; thrown: unknown } | null;
type Data<R> = Extract<R, { ok: true }> extends { data: infer T } ? T : never;

/**
 * React's useActionState for a guarded Server Action that takes
 * (previous state, FormData), for `<form action={formAction}>`:
 *
 *   const { data, error, formAction, pending } = useAuthActionState(changeEmail);
 *
 * Before hydration the form posts natively to the action itself: React only
 * renders a form that works without JavaScript when useActionState is given
 * the action's server reference, so that is what the server render passes.
 * Next then renders the page with the action's result, and an auth refusal
 * (no dialog can open without JavaScript) shows as a plain message.
 *
 * After hydration each submit goes through `api.runAction`, the wrapper's
 * policy: renew once on token_expired, "Confirm it's you" then call again
 * with the SAME FormData on fresh_token_required, /login when the session is
 * gone. The page is never unmounted meanwhile, so nothing typed is lost.
 * The client's function may differ from the server's: React matches a
 * posted result to this hook by its place in the tree, not by the function.
 */
export function useAuthActionState<R extends ActionResult<unknown>>(action: (previous: unknown, form: FormData) => Promise<R>) {
  const [state, formAction, pending] = useActionState<State<R>, FormData>(
    typeof window === "undefined"
      ? action
      : async (_previous, form) => {
          try {
            // The previous state never goes to the server: the action must not trust it anyway.
            return { ok: true, data: await api.runAction(() => action(null, form)) as Data<R> };
          } catch (thrown) {
            return { ok: false, thrown };
          }
        },
    null,
  );
  const error = state && !state.ok ? ("thrown" in state ? state.thrown : errorFromFailure(state)) : null;
  return { state, data: state?.ok ? (state.data as Data<R>) : undefined, error, formAction, pending };
}
