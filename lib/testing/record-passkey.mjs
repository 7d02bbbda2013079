// Records a real passkey registration and assertion from Chromium's virtual
// authenticator, for lib/auth/proofs/passkey-recorded.test.ts:
//   node lib/testing/record-passkey.mjs > lib/testing/recorded/chromium.json
// A throwaway page on http://localhost:<port> (a secure context with a domain)
// calls navigator.credentials.create() and .get() with fixed challenges.
import http from "node:http";
import { chromium } from "@playwright/test";

const server = http.createServer((_req, res) => res.end("<!doctype html><title>record</title>"));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://localhost:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send("WebAuthn.enable");
await cdp.send("WebAuthn.addVirtualAuthenticator", {
  options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
});
await page.goto(origin);
const recorded = await page.evaluate(async () => {
  const b64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const bytes = (text) => new TextEncoder().encode(text);
  const userId = "00000000-0000-4000-8000-000000000001";
  const registrationChallenge = bytes("recorded registration challenge, 32+ bytes long");
  const created = await navigator.credentials.create({
    publicKey: {
      rp: { id: "localhost", name: "Fresh Auth" },
      user: { id: bytes(userId), name: "ada@example.com", displayName: "Ada" },
      challenge: registrationChallenge,
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
      attestation: "none",
    },
  });
  const authenticationChallenge = bytes("recorded authentication challenge, 32+ bytes");
  const got = await navigator.credentials.get({ publicKey: { challenge: authenticationChallenge, rpId: "localhost", userVerification: "required" } });
  return {
    origin: location.origin,
    userId,
    registration: {
      challenge: b64url(registrationChallenge),
      response: {
        id: created.id,
        rawId: b64url(created.rawId),
        type: created.type,
        authenticatorAttachment: created.authenticatorAttachment,
        clientExtensionResults: {},
        response: { clientDataJSON: b64url(created.response.clientDataJSON), attestationObject: b64url(created.response.attestationObject), transports: created.response.getTransports() },
      },
    },
    authentication: {
      challenge: b64url(authenticationChallenge),
      response: {
        id: got.id,
        rawId: b64url(got.rawId),
        type: got.type,
        authenticatorAttachment: got.authenticatorAttachment,
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64url(got.response.clientDataJSON),
          authenticatorData: b64url(got.response.authenticatorData),
          signature: b64url(got.response.signature),
          userHandle: b64url(got.response.userHandle),
        },
      },
    },
  };
});
process.stdout.write(JSON.stringify(recorded, null, 2) + "\n");
await browser.close();
server.close();
