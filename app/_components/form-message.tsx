import { ClientError, ReauthCancelledError } from "@/lib/client/errors";
import { useErrorText } from "@/lib/client/error-text";

/**
 * An error as an alert (announced at once); a success, or a cancelled
 * password check (the user's own choice, not a failure), as a calm status.
 */
// The user's own choices (a cancelled dialog or passkey prompt), not failures.
const isCalm = (error: unknown) => error instanceof ReauthCancelledError || (error instanceof ClientError && error.code === "passkey_cancelled");

export function FormMessage({ error, success }: { error?: unknown; success?: string | null }) {
  // Null for a moment the first time an error shows: its sentence is loading (error-text.ts).
  const sentence = useErrorText(error);
  if (error && !isCalm(error)) {
    return sentence === null ? (
      <div aria-live="polite" />
    ) : (
      <p role="alert" className="notice notice-error">
        {sentence}
      </p>
    );
  }
  const text = error ? sentence : success;
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
