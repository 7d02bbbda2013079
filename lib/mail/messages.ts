import { compose } from "./layout";
import type { MailMessage } from "./transport";

/**
 * Every message the app sends. `origin` is the app's public origin (APP_URL,
 * else the request's); link tokens travel in the URL fragment, which browsers
 * never send to a server nor put in a Referer.
 */
const FOOTER = "Fresh Auth. You get this message because of activity on your account.";

function minutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m >= 120 ? `${Math.round(m / 60)} hours` : `${m} minutes`;
}

export function passwordResetMail(input: { to: string; origin: string; token: string; ttlSeconds: number }): MailMessage {
  return compose({
    to: input.to,
    subject: "Reset your Fresh Auth password",
    paragraphs: [
      "Someone (hopefully you) asked to reset the password of your Fresh Auth account.",
      `The link works once, for ${minutes(input.ttlSeconds)}. Using it signs you out everywhere else.`,
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ],
    action: { label: "Set a new password", url: `${input.origin}/reset-password#token=${input.token}` },
    footer: FOOTER,
  });
}

export function passwordResetDoneMail(input: { to: string; origin: string }): MailMessage {
  return compose({
    to: input.to,
    subject: "Password reset",
    paragraphs: [
      "The password of your Fresh Auth account was just reset, and every other session was signed out.",
      "If this wasn't you, reset your password again now and check your sessions.",
    ],
    action: { label: "Reset your password", url: `${input.origin}/forgot-password` },
    footer: FOOTER,
  });
}

export function verifyEmailMail(input: { to: string; origin: string; token: string; ttlSeconds: number }): MailMessage {
  return compose({
    to: input.to,
    subject: "Confirm your email for Fresh Auth",
    paragraphs: [`Confirm that ${input.to} is your address. The link works once, for ${minutes(input.ttlSeconds)}.`],
    action: { label: "Confirm your email", url: `${input.origin}/verify-email#token=${input.token}` },
    footer: FOOTER,
  });
}

export function emailChangeConfirmMail(input: { to: string; origin: string; token: string; ttlSeconds: number }): MailMessage {
  return compose({
    to: input.to,
    subject: "Confirm your new email for Fresh Auth",
    paragraphs: [
      `Someone asked to move a Fresh Auth account to ${input.to}. Nothing changes until this link is used.`,
      `The link works once, for ${minutes(input.ttlSeconds)}. If you did not ask for this, ignore this message.`,
    ],
    action: { label: "Confirm your new email", url: `${input.origin}/verify-email#token=${input.token}` },
    footer: FOOTER,
  });
}

export function emailChangeNoticeMail(input: { to: string; origin: string; newEmail: string }): MailMessage {
  return compose({
    to: input.to,
    subject: "Your Fresh Auth email is about to change",
    paragraphs: [
      `A change of your account's email to ${input.newEmail} was requested. It happens only when that address confirms it.`,
      "If this wasn't you, reset your password: that also cancels the change.",
    ],
    action: { label: "Reset your password", url: `${input.origin}/forgot-password` },
    footer: FOOTER,
  });
}

export function newSignInMail(input: { to: string; origin: string; device: string; address: string; at: Date }): MailMessage {
  return compose({
    to: input.to,
    subject: "New sign-in to Fresh Auth",
    paragraphs: [
      `Your account was just signed in to from ${input.device} (address ${input.address}) at ${input.at.toUTCString()}.`,
      "If this was you, there is nothing to do. If not, sign that session out and reset your password.",
    ],
    action: { label: "Review your sessions", url: `${input.origin}/account` },
    footer: FOOTER,
  });
}
