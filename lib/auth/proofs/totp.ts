import "server-only";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

/**
 * RFC 6238 with the parameters every authenticator app understands: SHA-1,
 * 6 digits, 30-second steps. The arithmetic is otpauth's (well kept, constant-
 * time comparison); this file only fixes the parameters and turns a match
 * into the step number that replay protection needs.
 */
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** One step either side: a phone clock up to ~30 s off, or a code typed as it rolled over. */
export const TOTP_WINDOW = 1;
const ISSUER = "Fresh Auth";

function totp(secret: string, label = "account"): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secret) });
}

/** 160 random bits (RFC 4226's recommended length), base32 as apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function stepAt(timestamp: number): number {
  return Math.floor(timestamp / 1000 / TOTP_PERIOD);
}

/**
 * The time step whose code `code` is, within ±TOTP_WINDOW of `now`, or null.
 * The caller records the step (TotpFactor.lastUsedStep) so the same code, or
 * an older one, is never accepted twice.
 */
export function matchingStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: TOTP_WINDOW });
  return delta === null ? null : stepAt(now) + delta;
}

/** What the set-up screen shows: the URI apps import, and the same as a QR code (SVG markup). */
export async function enrollmentView(secret: string, email: string): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  const otpauthUrl = totp(secret, email).toString();
  const qrSvg = await QRCode.toString(otpauthUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, otpauthUrl, qrSvg };
}
