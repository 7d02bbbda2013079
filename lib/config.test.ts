import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { SECRET_A, SECRET_B, setTestEnv, tempDir } from "./test-utils";

setTestEnv();

let config: typeof import("./config");

before(async () => {
  config = await import("./config");
});

/** A fresh parse of the test environment plus `overrides`. */
function configWith(overrides: Record<string, string | undefined>) {
  setTestEnv(overrides);
  config.resetConfigForTests();
  return config.getConfig();
}

/** Asserts that the configuration is refused with a message naming `variable`. */
function refused(overrides: Record<string, string | undefined>, variable: string) {
  assert.throws(
    () => configWith(overrides),
    (error: Error) => {
      assert.match(error.message, new RegExp(`\\b${variable}\\b`), `message does not name ${variable}: ${error.message}`);
      return true;
    },
    `${JSON.stringify(overrides)} was accepted`,
  );
}

describe("secrets", () => {
  test("a 32-byte secret is accepted", () => {
    assert.equal(configWith({ AUTH_SECRET: "x".repeat(32) }).secret, "x".repeat(32));
  });

  test("AUTH_SECRET shorter than 32 bytes is refused, naming AUTH_SECRET", () => {
    refused({ AUTH_SECRET: "x".repeat(31) }, "AUTH_SECRET");
    refused({ AUTH_SECRET: "short" }, "AUTH_SECRET");
  });

  test("the length is counted in bytes", () => {
    assert.equal(Buffer.byteLength("é".repeat(16)), 32);
    assert.equal(configWith({ AUTH_SECRET: "é".repeat(16) }).secret, "é".repeat(16));
    refused({ AUTH_SECRET: "é".repeat(15) }, "AUTH_SECRET");
  });

  test("a short previous secret is refused, naming AUTH_PREVIOUS_SECRETS", () => {
    refused({ AUTH_PREVIOUS_SECRETS: `${SECRET_B},tooshort` }, "AUTH_PREVIOUS_SECRETS");
  });

  test("previous secrets are a comma-separated list", () => {
    assert.deepEqual(configWith({ AUTH_SECRET: SECRET_A, AUTH_PREVIOUS_SECRETS: ` ${SECRET_B} ,, ` }).previousSecrets, [SECRET_B]);
    assert.deepEqual(configWith({ AUTH_SECRET: SECRET_A }).previousSecrets, []);
  });
});

describe("durations", () => {
  test('"90", "90s", "15m", "12h" and "30d" are read as seconds', () => {
    const table: [string, number][] = [["90", 90], ["90s", 90], ["15m", 900], ["12h", 43_200], ["30d", 2_592_000]];
    for (const [text, seconds] of table) assert.equal(configWith({ AUTH_ACCESS_TTL: text }).AUTH_ACCESS_TTL, seconds, text);
  });

  test("the defaults are those of the design", () => {
    const c = configWith({});
    assert.equal(c.AUTH_ACCESS_TTL, 15 * 60);
    assert.equal(c.AUTH_REFRESH_TTL, 30 * 86_400);
    assert.equal(c.AUTH_FRESH_TTL, 10 * 60);
    assert.equal(c.AUTH_REFRESH_REUSE_GRACE, 10);
    assert.equal(c.DATABASE_URL, "file:./data/app.db");
    assert.deepEqual(c.AUTH_RATE_LIMIT_ACCOUNT, { points: 10, windowSeconds: 900 });
    assert.deepEqual(c.AUTH_RATE_LIMIT_ADDRESS, { points: 50, windowSeconds: 900 });
    assert.equal(c.AUTH_TRUST_PROXY, false);
    assert.equal(c.APP_URL, undefined);
  });

  test("bad durations are refused, naming the variable", () => {
    refused({ AUTH_ACCESS_TTL: "15x" }, "AUTH_ACCESS_TTL");
    refused({ AUTH_ACCESS_TTL: "0" }, "AUTH_ACCESS_TTL");
    refused({ AUTH_REFRESH_TTL: "forever" }, "AUTH_REFRESH_TTL");
    refused({ AUTH_FRESH_TTL: "-5m" }, "AUTH_FRESH_TTL");
    refused({ AUTH_FRESH_TTL: "1.5h" }, "AUTH_FRESH_TTL");
    refused({ AUTH_REFRESH_REUSE_GRACE: "soon" }, "AUTH_REFRESH_REUSE_GRACE");
  });

  test("a reuse grace of 0 is allowed (no grace)", () => {
    assert.equal(configWith({ AUTH_REFRESH_REUSE_GRACE: "0" }).AUTH_REFRESH_REUSE_GRACE, 0);
  });
});

describe("rate limits", () => {
  test('"N/duration" and "off" are read', () => {
    assert.deepEqual(configWith({ AUTH_RATE_LIMIT_ACCOUNT: "5/1m" }).AUTH_RATE_LIMIT_ACCOUNT, { points: 5, windowSeconds: 60 });
    assert.equal(configWith({ AUTH_RATE_LIMIT_ACCOUNT: "off" }).AUTH_RATE_LIMIT_ACCOUNT, null);
    assert.equal(configWith({ AUTH_RATE_LIMIT_ADDRESS: "off" }).AUTH_RATE_LIMIT_ADDRESS, null);
  });

  test("bad rate limits are refused, naming the variable", () => {
    for (const value of ["ten/15m", "10", "0/15m", "10/0m", "10/15x", "-1/15m", "/15m", ""]) {
      refused({ AUTH_RATE_LIMIT_ACCOUNT: value }, "AUTH_RATE_LIMIT_ACCOUNT");
    }
    refused({ AUTH_RATE_LIMIT_ADDRESS: "many" }, "AUTH_RATE_LIMIT_ADDRESS");
  });
});

describe("other variables", () => {
  test("a bcrypt cost outside 4..15 is refused, naming AUTH_BCRYPT_COST", () => {
    refused({ AUTH_BCRYPT_COST: "3" }, "AUTH_BCRYPT_COST");
    refused({ AUTH_BCRYPT_COST: "twelve" }, "AUTH_BCRYPT_COST");
    assert.equal(configWith({ AUTH_BCRYPT_COST: "4" }).AUTH_BCRYPT_COST, 4);
  });

  test("AUTH_BCRYPT_THREADS is a whole number of threads, 1 or more, or unset", () => {
    refused({ AUTH_BCRYPT_THREADS: "0" }, "AUTH_BCRYPT_THREADS");
    refused({ AUTH_BCRYPT_THREADS: "1.5" }, "AUTH_BCRYPT_THREADS");
    assert.equal(configWith({ AUTH_BCRYPT_THREADS: "2" }).AUTH_BCRYPT_THREADS, 2);
    assert.equal(configWith({}).AUTH_BCRYPT_THREADS, undefined);
  });

  test("DATABASE_URL must be file: or postgres(ql)://", () => {
    refused({ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL");
    assert.equal(configWith({ DATABASE_URL: "postgresql://localhost/app" }).DATABASE_URL, "postgresql://localhost/app");
  });

  test("APP_URL is reduced to its origin", () => {
    assert.equal(configWith({ APP_URL: "https://app.example.com/some/path?q=1" }).APP_URL, "https://app.example.com");
  });

  test("an APP_URL that is not an http(s) origin is refused, naming APP_URL", () => {
    // "localhost:3000" parses as a URL with scheme "localhost:" and origin
    // "null"; accepted, it would make every browser POST fail csrf_failed.
    for (const value of ["localhost:3000", "javascript:alert(1)", "not a url"]) refused({ APP_URL: value }, "APP_URL");
  });

  test("AUTH_TRUST_PROXY accepts 1 and true", () => {
    assert.equal(configWith({ AUTH_TRUST_PROXY: "1" }).AUTH_TRUST_PROXY, true);
    assert.equal(configWith({ AUTH_TRUST_PROXY: "TRUE" }).AUTH_TRUST_PROXY, true);
    assert.equal(configWith({ AUTH_TRUST_PROXY: "0" }).AUTH_TRUST_PROXY, false);
  });

  test("the configuration is parsed once until reset", () => {
    const first = configWith({ AUTH_ACCESS_TTL: "1m" });
    process.env.AUTH_ACCESS_TTL = "2m";
    assert.equal(config.getConfig(), first);
    config.resetConfigForTests();
    assert.equal(config.getConfig().AUTH_ACCESS_TTL, 120);
  });
});

describe("generated secret", () => {
  const originalCwd = process.cwd();
  const temp = tempDir("fa-config-");
  beforeEach(() => process.chdir(temp.dir));
  after(() => {
    process.chdir(originalCwd);
    temp.cleanup();
  });

  test("without AUTH_SECRET a secret is generated into ./data/auth-secret (0600) and kept", () => {
    const first = configWith({ AUTH_SECRET: undefined });
    const file = path.join(temp.dir, "data", "auth-secret");
    assert.ok(Buffer.byteLength(first.secret) >= 32, "generated secret is too short");
    assert.equal(readFileSync(file, "utf8").trim(), first.secret);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o077, 0, "./data is readable by others");

    const second = configWith({ AUTH_SECRET: undefined });
    assert.equal(second.secret, first.secret);
    assert.equal(readFileSync(file, "utf8").trim(), first.secret);
  });

  test("a set AUTH_SECRET wins over the file", () => {
    assert.equal(configWith({ AUTH_SECRET: SECRET_B }).secret, SECRET_B);
  });
});
