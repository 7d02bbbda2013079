import { INPUT_MESSAGES } from "./field-messages";

/**
 * Rules the server enforces (zod refinements) and the forms check first with
 * the same functions, so both sides refuse the same input with the same words.
 * Each returns null when the input is fine, else the sentence to show.
 */
export function passwordProblem(password: string): string | null {
  return password.length > 0 && password.trim() === "" ? INPUT_MESSAGES.blankPassword : null;
}

export function nameProblem(name: string): string | null {
  return name.length > 0 && name.trim() === "" ? INPUT_MESSAGES.blankName : null;
}

export function newPasswordProblem(currentPassword: string, newPassword: string): string | null {
  if (currentPassword.normalize("NFKC") === newPassword.normalize("NFKC")) return INPUT_MESSAGES.samePassword;
  return passwordProblem(newPassword);
}
