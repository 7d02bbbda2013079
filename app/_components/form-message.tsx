import { ReauthCancelledError } from "@/lib/client/errors";
import { describeError } from "@/lib/client/messages";

/**
 * An error as an alert (announced at once); a success, or a cancelled
 * password check (the user's own choice, not a failure), as a calm status.
 */
export function FormMessage({ error, success }: { error?: unknown; success?: string | null }) {
  if (error && !(error instanceof ReauthCancelledError)) {
    return (
      <p role="alert" className="notice notice-error">
        {describeError(error)}
      </p>
    );
  }
  const text = error ? describeError(error) : success;
  return (
    <p role="status" className={text ? `notice ${error ? "notice-info" : "notice-ok"}` : "visually-hidden"}>
      {text}
    </p>
  );
}
