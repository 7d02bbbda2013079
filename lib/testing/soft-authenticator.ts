// A software passkey for tests: a real ES256 key pair (node:crypto), real
// authenticator data, clientDataJSON and a "none" attestation in CBOR, so the
// server's verification runs on exactly the bytes a browser would send. Every
// field a forger could change is an option.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

// Authenticator data flags (WebAuthn §6.1).
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface Ceremony {
  /** The base64url challenge from the options. */
  challenge: string;
  /** What the browser would write into clientDataJSON (the page's origin). */
  origin: string;
  /** What the authenticator hashes into authData (the options' RP ID). */
  rpId: string;
  /** false: the user was present but not verified (no PIN, no biometrics). */
  userVerified?: boolean;
  /** The signature counter to report; by default one more than last time. */
  counter?: number;
  type?: string;
}

function clientData(ceremony: Ceremony, type: string): Buffer {
  return Buffer.from(JSON.stringify({ type: ceremony.type ?? type, challenge: ceremony.challenge, origin: ceremony.origin, crossOrigin: false }));
}

function authData(ceremony: Ceremony, counter: number, attested?: Buffer): Buffer {
  const flags = UP | (ceremony.userVerified === false ? 0 : UV) | (attested ? AT : 0);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([sha256(ceremony.rpId), Buffer.from([flags]), count, attested ?? Buffer.alloc(0)]);
}

/** A passkey held by this object: one credential id, one key pair, one counter. */
export class SoftAuthenticator {
  readonly credentialId: Buffer;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  counter = 0;

  constructor(
    /** The user handle the RP gave at registration (its user id), returned on sign-in. */
    public userHandle = "",
    private readonly options: {
      countsSignatures?: boolean;
      /** A credential made elsewhere (the kit's addPasskey): base64url id, PKCS#8 DER private key in base64. */
      credential?: { credentialId: string; privateKey: string };
    } = {},
  ) {
    const { credential } = options;
    this.credentialId = credential ? Buffer.from(credential.credentialId, "base64url") : randomBytes(16);
    if (credential) {
      this.privateKey = createPrivateKey({ key: Buffer.from(credential.privateKey, "base64"), format: "der", type: "pkcs8" });
      this.publicKey = createPublicKey(this.privateKey);
    } else {
      ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" }));
    }
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private coseKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: "jwk" });
    // kty EC2, alg ES256, crv P-256, x, y (RFC 9053).
    const key = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    return isoCBOR.encode(key);
  }

  /** navigator.credentials.create() answered, as @simplewebauthn/browser's startRegistration returns it. */
  register(ceremony: Ceremony, options: { userHandle?: string } = {}) {
    if (options.userHandle !== undefined) this.userHandle = options.userHandle;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.coseKey()]);
    const counter = ceremony.counter ?? 0;
    const attestationObject = isoCBOR.encode(new Map<string, string | Map<string, never> | Uint8Array>([
      ["fmt", "none"],
      ["attStmt", new Map<string, never>()],
      ["authData", authData(ceremony, counter, attested)],
    ]));
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientData(ceremony, "webauthn.create")), attestationObject: b64url(attestationObject), transports: ["internal"] },
    };
  }

  /** navigator.credentials.get() answered, as startAuthentication returns it. */
  assert(ceremony: Ceremony) {
    const counter = ceremony.counter ?? (this.options.countsSignatures === false ? 0 : this.counter + 1);
    this.counter = Math.max(this.counter, counter);
    const data = authData(ceremony, counter);
    const client = clientData(ceremony, "webauthn.get");
    // ES256 over authData ‖ SHA-256(clientDataJSON), DER-encoded as WebAuthn expects.
    const signature = sign("sha256", Buffer.concat([data, sha256(client)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(client),
        authenticatorData: b64url(data),
        signature: b64url(signature),
        userHandle: this.userHandle ? b64url(this.userHandle) : undefined,
      },
    };
  }
}
