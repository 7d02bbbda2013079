/** The access-token life the e2e server runs with (playwright.config.ts). */
export const ACCESS_TTL_SECONDS = 4;
/** Long enough for any access token issued before it to have expired. */
export const PAST_EXPIRY_MS = ACCESS_TTL_SECONDS * 1000 + 1_500;
