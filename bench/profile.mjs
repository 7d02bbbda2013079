// `node bench/profile.mjs [--seconds=8] [--interval=250]`: the production
// server under node --cpu-prof, loaded row by row (floor, /api/me, /api/me
// over 1,000 sessions, chained refresh, the bare page, /account), then the
// request thread's time per request by category (bench/profile-summary.mjs).
//
// Each row's window is taken on the bench's monotonic clock, which is the
// clock V8 stamps its samples with (both read CLOCK_MONOTONIC), so the
// summary counts exactly the samples taken while that row ran. bcrypt runs at
// cost 4 here: logins are not profiled, only the sessions they make are used.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { printSummary, summarize } from "./profile-summary.mjs";
import { treeCpuMs } from "./proc.mjs";
import { chainedRefresh, health, me, meRotating, page, signIn, signInMany } from "./scenarios.mjs";
import { startServer } from "./server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const seconds = option("seconds", 8);
const interval = option("interval", 250);
const dir = path.resolve(import.meta.dirname, "..", ".tmp", `profile-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const server = await startServer({
  log: console.error,
  env: { AUTH_BCRYPT_COST: "4" },
  nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${interval}`],
});
const windows = [];
try {
  const { sessions } = await signIn(server.url, 1 + 10 * 2);
  const many = await signInMany(server.url, { users: 50, perUser: 20 });
  const [pageUser] = await signInMany(server.url, { users: 1, perUser: 1 });
  const rows = [
    ["GET /api/health (floor)", (o) => health(server.url, o)],
    ["GET /api/me", (o) => me(server.url, sessions[0], o)],
    ["GET /api/me, 1,000 sessions", (o) => meRotating(server.url, many, o)],
    ["POST /api/auth/refresh (10 chains)", (o, i) => chainedRefresh(server.url, sessions.slice(1 + 10 * i, 11 + 10 * i), o)],
    ["GET /unavailable (page floor)", (o) => page(server.url, "/unavailable", undefined, o)],
    ["GET /account (signed in)", (o) => page(server.url, "/account", pageUser, o)],
  ];
  console.error("profile: warming up");
  for (const [, run] of rows) await run({ duration: 2 }, 0);
  for (const [label, run] of rows) {
    console.error(`profile: ${label} (${seconds} s)`);
    const cpuBefore = treeCpuMs(server.pid);
    const from = nowUs();
    const result = await run({ duration: seconds }, 1);
    const to = nowUs();
    windows.push({ label, from, to, requests: result.requests.total, cpuMs: treeCpuMs(server.pid) - cpuBefore, non2xx: result.non2xx });
  }
} finally {
  await server.stop(); // SIGTERM → process.exit(0): V8 writes the profile
}

// The request thread's profile is the one with thread id 0 (the bcrypt workers write their own).
const file = readdirSync(dir).find((f) => f.includes(`.${server.pid}.0.`));
if (!file) throw new Error(`no profile for pid ${server.pid} in ${dir}`);
const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
// The windows, for a closer look with profile-summary.mjs --from/--to/--requests.
writeFileSync(path.join(dir, "windows.json"), JSON.stringify(windows, null, 2));
console.log(`profile: ${path.join(dir, file)} (sampling every ${interval} µs; windows in windows.json)`);
for (const w of windows) {
  console.log("");
  console.log(`process CPU (all threads, /proc): ${((w.cpuMs * 1000) / w.requests).toFixed(0)} µs per request${w.non2xx ? `; ${w.non2xx} non-2xx!` : ""}`);
  printSummary(w.label, summarize(profile, w));
}
