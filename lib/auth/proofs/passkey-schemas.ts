import "server-only";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";

// The JSON forms of a WebAuthn credential, as @simplewebauthn/browser sends
// them. Only the shape is checked here (strings where bytes are expected, a
// bounded size); the bytes themselves are checked by the verification.
const b64url = z.string().max(16_384).regex(/^[A-Za-z0-9_-]*$/, "Expected base64url.");

const common = {
  id: b64url.min(1),
  rawId: b64url.min(1),
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.looseObject({}),
};

export const assertionSchema = z
  .looseObject({
    ...common,
    response: z.looseObject({ clientDataJSON: b64url, authenticatorData: b64url, signature: b64url, userHandle: b64url.optional() }),
  })
  // The library's own type, now that the shape is known to match it.
  .transform((value) => value as AuthenticationResponseJSON);

export const attestationSchema = z
  .looseObject({
    ...common,
    response: z.looseObject({
      clientDataJSON: b64url,
      attestationObject: b64url,
      transports: z.array(z.string().max(32)).max(10).optional(),
    }),
  })
  .transform((value) => value as RegistrationResponseJSON);

export const passkeyNameSchema = z
  .string()
  .max(64, "Use at most 64 characters.")
  .refine((name) => !/\p{Cc}/u.test(name), "Use letters, digits and punctuation only.")
  .transform((name) => name.trim().normalize("NFC"));
