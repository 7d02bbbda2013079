/**
 * Security events as plain sentences ("Signed in with a passkey on Chrome on
 * macOS, 2 minutes ago — this device"). Pure functions of the event and the
 * clock, so the browser renders them and unit tests read them exactly.
 */
import type { AuthMethod } from "./api-types";
import type { SecurityEventItem } from "./security-events";

const METHOD_WORDS: Record<AuthMethod, string> = {
  password: "your password",
  passkey: "a passkey",
  totp: "an authenticator code",
  recovery_code: "a recovery code",
};

/** ["password","totp"] → "your password and an authenticator code". */
export function methodsPhrase(methods: readonly AuthMethod[] | undefined): string | null {
  if (!methods?.length) return null;
  const words = methods.map((m) => METHOD_WORDS[m]);
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** What happened, without where and when. */
export function eventAction(event: Pick<SecurityEventItem, "type" | "detail">): string {
  const { detail } = event;
  const how = methodsPhrase(detail.methods);
  switch (event.type) {
    case "signed_in":
      return how ? `Signed in with ${how}` : "Signed in";
    case "sign_in_failed":
      return "Someone tried to sign in with a wrong password";
    case "second_factor_failed":
      return "A wrong authenticator code was entered while signing in";
    case "signed_out":
      return "Signed out";
    case "session_revoked":
      return (detail.count ?? 1) === 1 ? "Signed out another session" : `Signed out ${plural(detail.count ?? 1, "other session")}`;
    case "refresh_reuse_detected":
      // Reuse detection in words a user understands: no "refresh token".
      return "A signed-in device presented an old key; we signed it out to be safe";
    case "confirmed":
      return how ? `Confirmed it was you with ${how}` : "Confirmed it was you";
    case "password_changed":
      return "Changed the password and signed out every other session";
    case "password_reset":
      return "Reset the password with an emailed link and signed out every other session";
    case "email_change_requested":
      return detail.email ? `Asked to change the email to ${detail.email}` : "Asked to change the email";
    case "email_changed":
      return detail.email ? `Changed the email to ${detail.email}` : "Changed the email";
    case "email_verified":
      return "Verified the email address";
    case "passkey_added":
      return detail.name ? `Added the passkey “${detail.name}”` : "Added a passkey";
    case "passkey_removed":
      return detail.name ? `Removed the passkey “${detail.name}”` : "Removed a passkey";
    case "totp_enabled":
      return "Turned on two-step sign-in";
    case "totp_disabled":
      return "Turned off two-step sign-in";
    case "recovery_code_used":
      return "Used a recovery code";
  }
}

/** "just now", "2 minutes ago", "3 hours ago", "yesterday", "5 days ago". */
export function timeAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${plural(minutes, "minute")} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${plural(hours, "hour")} ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "yesterday" : `${days} days ago`;
}

/** The whole sentence: what, on which device, when, and whether it was this device. */
export function eventSentence(event: Pick<SecurityEventItem, "type" | "detail" | "device" | "ip" | "at" | "current">, now: number): string {
  const when = `${timeAgo(event.at, now)}${event.current ? " — this device" : ""}`;
  if (event.type === "refresh_reuse_detected") {
    // The device is the subject here, not where the user acted from.
    return `A signed-in device (${event.device}) presented an old key; we signed it out to be safe, ${when}`;
  }
  // A stranger's attempt: the address says more than the browser does.
  const from = event.type === "sign_in_failed" && event.ip ? ` from ${event.ip}` : "";
  return `${eventAction(event)}${from} on ${event.device}, ${when}`;
}
