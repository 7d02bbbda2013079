import { z } from "zod";

/**
 * Bodies carrying a code. Spaces (as apps display "123 456") are dropped; any
 * other shape is simply a wrong code, counted like one, so the format check
 * tells a guesser nothing the rate limit does not already.
 */
export const totpCodeSchema = z.string().min(1).max(32).transform((code) => code.replace(/\s/g, ""));
export const recoveryCodeSchema = z.string().min(1).max(64);
