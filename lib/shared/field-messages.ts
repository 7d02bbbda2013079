/**
 * The one table of field messages: every sentence a form shows under a field
 * comes from here or from a schema's own message, never from a library. The
 * server installs `fieldMessage` as zod's error map (lib/http/json.ts), so a
 * rule nobody wrote a sentence for still reads as a plain one.
 */
const LABELS: Record<string, string> = {
  email: "email address",
  password: "password",
  currentPassword: "current password",
  newPassword: "new password",
  name: "name",
};

export const INPUT_MESSAGES = {
  blankPassword: "A password of only spaces is too easy to guess. Add letters, digits or symbols.",
  blankName: "A name can't be only spaces. Type a name, or leave the field empty.",
  samePassword: "Choose a new password, different from your current one.",
  invalidEmail: "Enter a valid e-mail address.",
  unknownField: "The app sent a field the server does not know. Reload the page and try again.",
} as const;

/** What zod tells an error map about a failed rule (the parts used here). */
export interface FieldIssue {
  code: string;
  path?: PropertyKey[];
  input?: unknown;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
}

export function fieldMessage(issue: FieldIssue): string {
  const key = String(issue.path?.[issue.path.length - 1] ?? "");
  const label = LABELS[key] ?? "value";
  const empty = issue.input === undefined || issue.input === null || issue.input === "";
  switch (issue.code) {
    case "too_small":
      return empty || Number(issue.minimum) <= 1 ? `Enter your ${label}.` : `Use at least ${issue.minimum} characters.`;
    case "too_big":
      return `Use at most ${issue.maximum} characters.`;
    case "invalid_type":
      return empty ? `Enter your ${label}.` : `Your ${label} must be text.`;
    case "invalid_format":
      return issue.format === "email" ? INPUT_MESSAGES.invalidEmail : `Check your ${label}.`;
    case "unrecognized_keys":
      return INPUT_MESSAGES.unknownField;
    default:
      return `Check your ${label}.`;
  }
}
