// Helpers for the unit tests beside the code (lib/**/*.test.ts). Each test file
// runs in its own process (node --test), so setting process.env here, before
// the modules under test are imported, gives every file its own configuration.
import assert from "node:assert/strict";
import { createHmac, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** 48 bytes each: comfortably above the 32-byte minimum. */
export const SECRET_A = "test-secret-A-0123456789abcdefghijklmnopqrstuvwx";
export const SECRET_B = "test-secret-B-0123456789abcdefghijklmnopqrstuvwx";

const CONFIG_VARIABLES = [
  "DATABASE_URL",
  "AUTH_SECRET",
  "AUTH_PREVIOUS_SECRETS",
  "AUTH_ACCESS_TTL",
  "AUTH_REFRESH_TTL",
  "AUTH_FRESH_TTL",
  "AUTH_REFRESH_REUSE_GRACE",
  "AUTH_BCRYPT_COST",
  "AUTH_BCRYPT_THREADS",
  "AUTH_RATE_LIMIT_ACCOUNT",
  "AUTH_RATE_LIMIT_ADDRESS",
  "AUTH_RATE_LIMIT_SUCCESS_ACCOUNT",
  "AUTH_RATE_LIMIT_SUCCESS_ADDRESS",
  "AUTH_BCRYPT_QUEUE_DEADLINE",
  "AUTH_TRUST_PROXY",
  "APP_URL",
  "DATABASE_POOL_SIZE",
  "DATABASE_TIMEOUT",
];

/**
 * A known configuration: every variable the app reads is cleared (so the
 * developer's shell cannot change a result), then the test defaults and
 * `overrides` are applied. Call before importing modules that read config,
 * or follow with resetConfigForTests()/resetKeysForTests().
 */
export function setTestEnv(overrides: Record<string, string | undefined> = {}): void {
  for (const name of CONFIG_VARIABLES) delete process.env[name];
  const values: Record<string, string | undefined> = {
    AUTH_SECRET: SECRET_A,
    AUTH_BCRYPT_COST: "4",
    LOG_LEVEL: "silent",
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Asserts that `action` rejects with an AuthError of `code`. The class is
 * checked by name: the module under test and this file may load errors.ts
 * through different module systems.
 */
export async function rejectsWith(action: Promise<unknown> | (() => Promise<unknown>), code: string): Promise<void> {
  await assert.rejects(action, (error: unknown) => {
    assert.equal((error as Error)?.name, "AuthError", `expected an AuthError, got ${String(error)}`);
    assert.equal((error as { code?: string }).code, code);
    return true;
  });
}

/** Synchronous counterpart of rejectsWith. */
export function throwsWith(action: () => unknown, code: string): void {
  assert.throws(action, (error: unknown) => {
    assert.equal((error as Error)?.name, "AuthError", `expected an AuthError, got ${String(error)}`);
    assert.equal((error as { code?: string }).code, code);
    return true;
  });
}

export const encodeSegment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export const decodeSegment = <T extends object = Record<string, unknown>>(segment: string): T =>
  JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as T;

/**
 * Builds a compact JWS by hand so a test controls every byte of the header
 * (alg "none", unknown algorithms, odd kids) that a JWT library would refuse
 * to produce. `key` null leaves the signature empty.
 */
export function forgeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject | Buffer | string | null,
  hash: "sha256" | "sha512" = "sha256",
): string {
  const input = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  const signature = key === null ? "" : createHmac(hash, key).update(input).digest("base64url");
  return `${input}.${signature}`;
}

/** The three segments of a compact JWS. */
export function splitJwt(token: string): [string, string, string] {
  const parts = token.split(".");
  assert.equal(parts.length, 3, "a compact JWS has three segments");
  return parts as [string, string, string];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
