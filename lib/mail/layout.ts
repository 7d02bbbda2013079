import type { MailMessage } from "./transport";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Every value put into the HTML part goes through this: names and addresses are user input. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export interface MailContent {
  to: string;
  subject: string;
  /** Paragraphs of plain text (escaped for the HTML part). */
  paragraphs: string[];
  /** The one action of the message, if any: a button in HTML, a bare URL in text. */
  action?: { label: string; url: string };
  /** A closing line in small print. */
  footer?: string;
}

/**
 * One shape for every message: a plain-text part that reads well on its own
 * (the URL on a line of its own, so clients make it clickable) and a simple
 * HTML part with the same words, inline styles only.
 */
export function compose(content: MailContent): MailMessage {
  const { to, subject, paragraphs, action, footer } = content;
  const text = [...paragraphs, ...(action ? [`${action.label}:\n${action.url}`] : []), ...(footer ? [`--\n${footer}`] : [])].join("\n\n") + "\n";
  const p = (t: string) => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`;
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#1f4fd1;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#555">Or paste this address into your browser: ${escapeHtml(action.url)}</p>`
    : "";
  const small = footer ? `<p style="margin:24px 0 0;font-size:12px;color:#777">${escapeHtml(footer)}</p>` : "";
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">` +
    `<div style="max-width:560px;margin:0 auto;padding:24px"><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(subject)}</h1>` +
    `${paragraphs.map(p).join("")}${button}${small}</div></body></html>`;
  return { to, subject, text, html };
}
