import { z } from "zod";

/** A link token as mailed (43 base64url characters); anything longer is not one of ours. */
export const linkTokenSchema = z.string().min(1).max(128);
