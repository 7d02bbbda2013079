// End-to-end tests in a real Chromium against the production build (`npm test`
// builds first, then runs this). One server for the whole run, on a free port
// and a throwaway SQLite file, with a 4-second access token so expiry can be
// waited for.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { ACCESS_TTL_SECONDS } from "./e2e/timing";

// Worker processes load this file again; the environment carries the choices
// made by the main process so every worker talks to the same server and file.
process.env.E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })",
])
  .toString()
  .trim();
// The run's SMTP server (e2e/global-setup.ts) listens here; what it receives
// is saved to E2E_MAIL_DIR for the workers to read.
process.env.E2E_SMTP_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })",
])
  .toString()
  .trim();
process.env.E2E_MAIL_DIR ??= path.resolve(".tmp", `e2e-mail-${process.pid}-${Date.now()}`);
process.env.E2E_DB_FILE ??= path.resolve(".tmp", `e2e-${process.pid}-${Date.now()}.db`);
mkdirSync(path.dirname(process.env.E2E_DB_FILE), { recursive: true });

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
// Debian's Chromium here (Playwright cannot download its own offline);
// CHROMIUM_PATH overrides, and a laptop without either uses Playwright's.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

// The server's environment, shared with the auth kit (lib/testing), which
// mints real tokens and rows for it and so must have the same secret, database
// and token lives.
const serverEnv = {
  PORT: process.env.E2E_PORT,
  DATABASE_URL: `file:${process.env.E2E_DB_FILE}`,
  AUTH_SECRET: "e2e-only-secret-0123456789abcdef-0123456789abcdef",
  AUTH_ACCESS_TTL: `${ACCESS_TTL_SECONDS}s`,
  AUTH_BCRYPT_COST: "4",
  AUTH_RATE_LIMIT_ACCOUNT: "off",
  AUTH_RATE_LIMIT_ADDRESS: "off",
  AUTH_RATE_LIMIT_SUCCESS_ACCOUNT: "off",
  AUTH_RATE_LIMIT_SUCCESS_ADDRESS: "off",
  WEB_CONCURRENCY: "1",
  // Real mail to a real SMTP server; the e2e journeys follow its links.
  SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT}`,
  LOG_LEVEL: "warn",
  NEXT_TELEMETRY_DISABLED: "1",
};

export default defineConfig<{ authKitServerEnv: Record<string, string | undefined> }>({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  reporter: [["list"]],
  use: {
    baseURL,
    authKitServerEnv: serverEnv,
    trace: "off",
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node scripts/start.mjs --no-build",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: serverEnv,
  },
});
