const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses the durations the configuration accepts: `90`, `90s`, `15m`, `12h`,
 * `30d`. Returns whole seconds, or null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d{1,9})\s*([smhd]?)\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * UNITS[match[2]];
}
