"use client";

import { useCallback, useRef } from "react";
import type { ActionResult } from "../shared/action-result";
import { api } from "./index";

/**
 * A guarded Server Action (lib/auth/action.ts `withAuthAction`) as a plain
 * async function that returns its data or throws the same typed ApiError the
 * fetch wrapper throws. On `token_expired` it renews through the shared
 * single-flight refresh and calls the action again once; on
 * `fresh_token_required` it opens the "Confirm it's you" dialog and calls it
 * again with the SAME arguments; when the session is gone it goes to
 * /login?next=….
 *
 *   const save = useAuthAction(updateProfile);
 *   const { user } = await save(name);
 */
export function useAuthAction<A extends unknown[], T>(action: (...args: A) => Promise<ActionResult<T>>): (...args: A) => Promise<T> {
  const latest = useRef(action);
  latest.current = action;
  return useCallback((...args: A) => api.runAction(() => latest.current(...args)), []);
}
