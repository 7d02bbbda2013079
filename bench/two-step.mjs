// The two-step sign-in (password, then an authenticator code) as one bench
// row beside plain login. Each sign-in is two requests: POST /api/auth/login
// (bcrypt, then 401 second_factor_required and a pending cookie) and POST
// /api/auth/login/second-factor with the code. A step's code works once per
// account, so every account gives two sign-ins per 30 s (the current step and
// the next, both inside the ±1 window): the pool is sized for the row's
// duration, and a loop that runs out of codes stops (counted, never faked).
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

/** `count` accounts with TOTP on; each remembers which steps it has spent. */
export async function twoStepAccounts(url, count) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const email = `bench-2fa-${Date.now().toString(36)}-${i}@example.com`;
      const reg = await send(url, "/api/auth/register", { email, password: PASSWORD, name: "Bench" });
      const cookie = `access_token=${reg.cookies.access_token}; csrf_token=${reg.cookies.csrf_token}`;
      const auth = async (path, body) =>
        (await fetch(url + path, { method: "POST", headers: { "content-type": "application/json", origin: url, cookie, "x-csrf-token": reg.cookies.csrf_token }, body: JSON.stringify(body) })).json();
      const { secret } = await auth("/api/account/totp", {});
      const account = { email, secret, lastStep: -1 };
      await auth("/api/account/totp/confirm", { code: codeFor(account) });
      return account;
    }),
  );
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
