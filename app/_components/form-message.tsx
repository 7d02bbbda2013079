import { ClientError, ReauthCancelledError } from "@/lib/client/errors";
import { describeError } from "@/lib/client/messages";

/**
 * An error as an alert (announced at once); a success, or a cancelled
 * password check (the user's own choice, not a failure), as a calm status.
 */
// The user's own choices (a cancelled dialog or passkey prompt), not failures.
const isCalm = (error: unknown) => error instanceof ReauthCancelledError || (error instanceof ClientError && error.code === "passkey_cancelled");

export function FormMessage({ error, success }: { error?: unknown; success?: string | null }) {
  if (error && !isCalm(error)) {
    return (
      <p role="alert" className="notice notice-error">
        {describeError(error)}
      </p>
    );
  }
  const text = error ? describeError(error) : success;
  // The live region is always there so the message is announced when it
  // appears; the status role only exists while there is something to say.
  return (
    <div aria-live="polite">
      {text && (
        <p role="status" className={`notice ${error ? "notice-info" : "notice-ok"}`}>
          {text}
        </p>
      )}
    </div>
  );
}
