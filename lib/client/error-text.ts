import { useEffect, useState } from "react";
import { ApiError, ClientError, NetworkError } from "./errors";

/**
 * The sentence a page shows for an error. The table of sentences
 * (messages.ts) is loaded the first time an error is shown, not with every
 * page (decision 509): most page views show none. Two sentences stay here,
 * at hand without a fetch: offline, the table itself could not arrive; and a
 * form checked in the browser (validate.ts) fails before any request.
 */
export const OFFLINE_MESSAGE = "Could not reach the server. Check your connection and try again. You are still signed in.";
export const INVALID_REQUEST_MESSAGE = "Some fields need another look.";

let describe: ((error: unknown) => string) | null = null;
// The table could not be fetched (offline, or a deploy removed the chunk):
// remembered until a reload, like the dialog's form (decision 508).
let unavailable = false;
let loading: Promise<void> | null = null;

function load(): Promise<void> {
  loading ??= import("./messages").then(
    (table) => {
      describe = table.describeError;
    },
    () => {
      unavailable = true;
    },
  );
  return loading;
}

// On the server the table is part of the bundle anyway: load it at once, so a
// page rendered with an action's refusal (a form posted before hydration) has
// its sentence, which no script could fetch later. Next compiles this branch
// out of the browser's code.
if (typeof window === "undefined") void load();

/** The sentence if it can be given now; null while the table is on its way. */
function textNow(error: unknown): string | null {
  if (describe) return describe(error);
  if (error instanceof NetworkError) return OFFLINE_MESSAGE;
  if (error instanceof ApiError && error.code === "invalid_request") return INVALID_REQUEST_MESSAGE;
  if (!unavailable) return null;
  // Without the table: the error's own words (an ApiError's are the server's description).
  return error instanceof ClientError ? error.message : "Something went wrong. Please try again.";
}

/** The sentence for any thrown value, for code outside rendering (a callback). */
export async function errorText(error: unknown): Promise<string> {
  if (textNow(error) === null) await load();
  return textNow(error) as string;
}

/** The sentence for `error` (null: no error, or its sentence is a moment away); re-renders when it arrives. */
export function useErrorText(error: unknown): string | null {
  const [, setLoaded] = useState(0);
  const text = error ? textNow(error) : null;
  useEffect(() => {
    if (!error || text !== null) return;
    let live = true;
    void load().then(() => live && setLoaded((n) => n + 1));
    return () => {
      live = false;
    };
  }, [error, text]);
  return text;
}
