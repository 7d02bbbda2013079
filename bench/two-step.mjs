// The two-step sign-in (password, then an authenticator code) as one bench
// row beside plain login. Each sign-in is two requests: POST /api/auth/login
// (bcrypt, then 401 second_factor_required and a pending cookie) and POST
// /api/auth/login/second-factor with the code. A step's code works once per
// account and set-up spends the current step, so an account gives one
// sign-in per row (the next step, inside the ±1 window; two if a step boundary
// passes): the pool is sized for the row, and a loop that runs out of codes
// stops (counted as outOfCodes, never faked).
import { parseSetCookie } from "cookie";
import { Secret, TOTP } from "otpauth";
import { PASSWORD } from "./scenarios.mjs";

const STEP_MS = 30_000;

async function send(url, path, body, cookie = "") {
  const res = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url, ...(cookie && { cookie }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const cookies = Object.fromEntries(res.headers.getSetCookie().map((line) => [parseSetCookie(line).name, parseSetCookie(line).value]));
  return { status: res.status, data: await res.json().catch(() => null), cookies };
}

/** Retries a request the bcrypt pool shed (503 + Retry-After: load shedding, not a failure). */
async function sendShed(url, path, body) {
  for (;;) {
    const res = await send(url, path, body);
    if (res.status !== 503) return res;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function twoStepAccount(url, i) {
  const email = `bench-2fa-${Date.now().toString(36)}-${i}@example.com`;
  const reg = await sendShed(url, "/api/auth/register", { email, password: PASSWORD, name: "Bench" });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.data)}`);
  const cookie = `access_token=${reg.cookies.access_token}; csrf_token=${reg.cookies.csrf_token}`;
  const auth = async (path, body) =>
    (await fetch(url + path, { method: "POST", headers: { "content-type": "application/json", origin: url, cookie, "x-csrf-token": reg.cookies.csrf_token }, body: JSON.stringify(body) })).json();
  const { secret } = await auth("/api/account/totp", {});
  const account = { email, secret, lastStep: -1 };
  await auth("/api/account/totp/confirm", { code: codeFor(account) });
  return account;
}

/** `count` accounts with TOTP on, made two at a time (as scenarios.mjs signs in); each remembers which steps it has spent. */
export async function twoStepAccounts(url, count) {
  const accounts = [];
  for (let i = 0; i < count; i += 2) accounts.push(...(await Promise.all([i, i + 1].filter((n) => n < count).map((n) => twoStepAccount(url, n)))));
  return accounts;
}

/** The account's next unspent code inside the window, or null. */
function codeFor(account) {
  const current = Math.floor(Date.now() / STEP_MS);
  const step = Math.max(account.lastStep + 1, current);
  if (step > current + 1) return null;
  account.lastStep = step;
  return TOTP.generate({ secret: Secret.fromBase32(account.secret), timestamp: step * STEP_MS });
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);

/** `connections` loops for `duration` s; figures are whole sign-ins (two requests each). */
export async function twoStepSignIn(url, accounts, { duration, connections = 10 }) {
  const latencies = [];
  let errors = 0;
  let outOfCodes = 0;
  const pool = [...accounts];
  const end = Date.now() + duration * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        // One loop per account at a time: its codes must reach the server in step order.
        const account = pool.find((a) => !a.busy && a.lastStep < Math.floor(Date.now() / STEP_MS) + 1);
        if (!account) {
          // Accounts still holding codes are in use by other loops: wait for one, else this loop is done.
          if (pool.some((a) => a.busy)) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          outOfCodes++;
          return;
        }
        const code = codeFor(account);
        account.busy = true;
        const t0 = performance.now();
        const first = await send(url, "/api/auth/login", { email: account.email, password: PASSWORD });
        const pending = first.cookies.pending_sign_in;
        const second = pending ? await send(url, "/api/auth/login/second-factor", { code }, `pending_sign_in=${pending}`) : null;
        account.busy = false;
        if (first.status !== 401 || second?.status !== 200) errors++;
        else latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: +(latencies.length / seconds).toFixed(1),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    errors,
    requests: latencies.length,
    outOfCodes,
  };
}
