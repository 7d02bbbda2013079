// `npm run bench` — see docs/performance.md.
//
//   npm run bench                  the documented run (about 4 minutes)
//   npm run bench -- --quick       shorter rows and a 15 s memory soak (about 1.5 minutes)
//   npm run bench -- --cluster     the same against `npm start -- --cluster` (a process per core)
//   npm run bench -- --json        machine-readable report on stdout (progress goes to stderr)
//   --duration=S  seconds per row (split into rounds)   --rounds=N   --soak=S  (0 skips it)
//
// Starts the production server (scripts/start.mjs: builds when sources
// changed, migrates) on a throwaway SQLite database under .tmp/, with bcrypt
// at its real default cost (12) and rate limits off, then measures over
// loopback with autocannon. The exit code is 0 even when a target is missed:
// this is a measurement, not a test.
import { availableParallelism, cpus } from "node:os";
import { readFileSync } from "node:fs";
import { buildWithSourceMaps, measureClientCost, SOURCE_MAPPED_DIR } from "./client-cost.mjs";
import { cpuMeter, cpuModel, treeCpuMs } from "./proc.mjs";
import { chainedRefresh, health, login, me, meRotating, page, signIn, signInMany } from "./scenarios.mjs";
import { benchStore, startServer } from "./server.mjs";
import { twoStepAccounts, twoStepSignIn } from "./two-step.mjs";
import { soak } from "./soak.mjs";
import { printReport } from "./report.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const quick = flag("quick");
const json = flag("json");
const duration = option("duration", quick ? 6 : 15);
const rounds = Math.max(1, option("rounds", 5));
const soakSeconds = option("soak", quick ? 15 : 60);
const roundSeconds = Math.max(2, Math.round(duration / rounds));
const webConcurrency = flag("cluster") ? String(availableParallelism()) : process.env.WEB_CONCURRENCY;
const log = (line) => (json ? process.stderr : process.stdout).write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const summarize = (r) => ({
  rps: +(r.requests.total / r.duration).toFixed(1),
  p50: r.latency.p50,
  p99: r.latency.p99,
  errors: r.errors + r.timeouts + r.non2xx,
  requests: r.requests.total,
});

/**
 * Rows are measured in interleaved rounds (health, me, refresh, health, …)
 * and each figure is the median over rounds: a burst of other work on a
 * shared machine then skews one round of every row instead of one whole row,
 * and the ratios between rows stay honest.
 *
 * `floor` names the rounds a row is compared with (the API floor, or the bare
 * page for the page rows): "x floor" is req/s over the floor's, "cpu x" the
 * floor's CPU ms per request over the row's, each per round, then the median.
 */
function combine(label, runs, extra = {}, floor = undefined) {
  return {
    label,
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest)),
    foreignPercent: median(runs.map((r) => r.foreignPercent)),
    // Each round's req/s over the floor's in the same round, then the median:
    // both halves of a pair ran seconds apart, under the same outside load.
    xHealth: floor ? +median(runs.map((r, i) => r.rps / floor[i].rps)).toFixed(2) : undefined,
    xCpu: floor ? +median(runs.map((r, i) => floor[i].cpuMsPerRequest / r.cpuMsPerRequest)).toFixed(2) : undefined,
    rounds: runs,
    ...extra,
  };
}

// The 1,000 sessions of the realistic row are made by a seeding server with
// bcrypt at cost 4 on the same database file and secret (at cost 12 they
// would take minutes); the measured server then starts on that file.
const store = benchStore();
log("bench: seeding 1,000 sessions (50 users x 20) through a server with bcrypt cost 4");
const seeder = await startServer({ log, store, keepDatabase: true, env: { AUTH_BCRYPT_COST: "4" } });
let many, pageUser;
try {
  many = await signInMany(seeder.url, { users: 50, perUser: 20 });
  [pageUser] = await signInMany(seeder.url, { users: 1, perUser: 1 }); // /account lists ONE session
} finally {
  await seeder.stop();
}

const server = await startServer({ log, store, env: webConcurrency ? { WEB_CONCURRENCY: webConcurrency } : {} });
// A shared machine skews every row: measure how much CPU other processes took.
const meter = cpuMeter([process.pid]); // the server is a descendant of this process

/**
 * One measured round: autocannon's figures, the server's CPU ms per request
 * served (its whole process tree, from /proc), and how much of the machine's
 * busy CPU went to other processes meanwhile.
 */
async function measure(start) {
  const cpuBefore = treeCpuMs(server.pid);
  const round = cpuMeter([process.pid]);
  const result = await start();
  const cpuMs = treeCpuMs(server.pid) - cpuBefore;
  return {
    ...summarize(result),
    cpuMsPerRequest: result.requests.total ? +(cpuMs / result.requests.total).toFixed(3) : 0,
    foreignPercent: round.stop().foreignPercent,
  };
}

try {
  // Each refresh round gets 10 sessions of its own. A run that ends abandons
  // the responses still in flight, so a chain's last rotation may never reach
  // the bench: reusing that chain later (after the grace window) would be real
  // token reuse, and the server would rightly revoke it.
  log(`bench: signing in ${1 + 10 * (rounds + 1)} sessions`);
  const { email, sessions } = await signIn(server.url, 1 + 10 * (rounds + 1));
  const reader = sessions[0];
  const chainsFor = (round) => sessions.slice(1 + 10 * round, 11 + 10 * round);
  const runs = { health: [], me: [], meMany: [], refresh: [], pageFloor: [], account: [], meIdle: [], meStorm: [], stormLogins: [] };
  const chainStats = new Map(); // session → { rotations, broken }

  log(`bench: warming up (${quick ? 2 : 3} s per route)`);
  const warm = { duration: quick ? 2 : 3 };
  await health(server.url, warm);
  await me(server.url, reader, warm);
  await meRotating(server.url, many, warm);
  await chainedRefresh(server.url, chainsFor(0), warm, new Map());
  await page(server.url, "/unavailable", undefined, warm);
  await page(server.url, "/account", pageUser, warm);
  await login(server.url, email, { duration: 2, connections: 2 });

  for (let round = 1; round <= rounds; round++) {
    log(`bench: round ${round}/${rounds}: health, me, me x 1,000 sessions, refresh, bare page, /account (${roundSeconds} s each)`);
    const o = { duration: roundSeconds };
    runs.health.push(await measure(() => health(server.url, o)));
    runs.me.push(await measure(() => me(server.url, reader, o)));
    runs.meMany.push(await measure(() => meRotating(server.url, many, o)));
    runs.refresh.push(await measure(() => chainedRefresh(server.url, chainsFor(round), o, chainStats)));
    runs.pageFloor.push(await measure(() => page(server.url, "/unavailable", undefined, o)));
    runs.account.push(await measure(() => page(server.url, "/account", pageUser, o)));
  }

  log(`bench: login (${roundSeconds * rounds} s)`);
  const loginRun = await measure(() => login(server.url, email, { duration: roundSeconds * rounds }));
  // Set-up spends the current step, so an account gives one sign-in (two past a step boundary): size from the login rate just measured.
  log(`bench: two-step sign-in, password + code (${roundSeconds * rounds} s)`);
  const twoStepPool = await twoStepAccounts(server.url, Math.ceil(loginRun.rps * roundSeconds * rounds * 1.25) + 2);
  const twoStepCpu = treeCpuMs(server.pid);
  const twoStepMeter = cpuMeter([process.pid]);
  const twoStepRaw = await twoStepSignIn(server.url, twoStepPool, { duration: roundSeconds * rounds });
  const twoStepRun = {
    ...twoStepRaw,
    // Server CPU per whole sign-in (both requests).
    cpuMsPerRequest: twoStepRaw.requests ? +((treeCpuMs(server.pid) - twoStepCpu) / twoStepRaw.requests).toFixed(3) : 0,
    foreignPercent: twoStepMeter.stop().foreignPercent,
  };

  // The storm: 8 login loops keep bcrypt saturated while /api/me is measured,
  // against an idle measurement right before it in the same round.
  for (let round = 1; round <= rounds; round++) {
    log(`bench: round ${round}/${rounds}: /api/me idle, then alongside 8 login loops (${roundSeconds} s each)`);
    runs.meIdle.push(await measure(() => me(server.url, reader, { duration: roundSeconds })));
    const storm = login(server.url, email, { connections: 8, duration: roundSeconds + 60 });
    await sleep(1000); // every loop has a hash in flight
    // The CPU figure of this row includes the storm's bcrypt work.
    runs.meStorm.push(await measure(() => me(server.url, reader, { duration: roundSeconds })));
    storm.stop();
    runs.stormLogins.push(summarize(await storm));
    await sleep(2500); // let the hashes still queued drain before the next idle round
  }

  const results = {
    health: combine("GET /api/health (floor)", runs.health, {}, runs.health),
    me: combine("GET /api/me", runs.me, {}, runs.health),
    meMany: combine("GET /api/me, 1,000 sessions", runs.meMany, {}, runs.health),
    refresh: combine("POST /api/auth/refresh (10 chains)", runs.refresh, {
      rotations: [...chainStats.values()].reduce((s, c) => s + c.rotations, 0),
      brokenChains: [...chainStats.values()].filter((c) => c.broken > 0).length,
      chains: chainStats.size,
    }, runs.health),
    pageFloor: combine("GET /unavailable (page floor)", runs.pageFloor, {}, runs.pageFloor),
    account: combine("GET /account (signed in)", runs.account, {}, runs.pageFloor),
    login: combine("POST /api/auth/login (bcrypt 12)", [loginRun]),
    // Whole sign-ins (two requests each): req/s, latency and server CPU per sign-in.
    twoStep: combine("login + second-factor (password+code)", [twoStepRun], { outOfCodes: twoStepRun.outOfCodes }),
    meIdle: combine("GET /api/me (idle, storm rounds)", runs.meIdle),
    meDuringStorm: combine("GET /api/me + 8 login loops", runs.meStorm, {
      logins: combine("logins during the storm", runs.stormLogins.map((r) => ({ ...r, cpuMsPerRequest: 0, foreignPercent: 0 }))),
    }),
  };
  const otherCpuPercent = meter.stop().foreignPercent;

  const report = {
    machine: {
      cores: availableParallelism(),
      cpu: cpuModel(),
      mhz: cpus()[0]?.speed ?? 0,
      memGB: +(Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0) / 2 ** 20).toFixed(1),
      node: process.version,
      otherCpuPercent,
    },
    config: {
      database: "SQLite (throwaway file under .tmp/)",
      bcryptCost: 12,
      connections: 10,
      rounds,
      roundSeconds,
      webConcurrency: webConcurrency ?? "1 (single process)",
      logLevel: "warn",
    },
    results,
    soak: soakSeconds > 0 ? await soak(server, { seconds: soakSeconds, log }) : undefined,
    // Last, once nothing is being timed: a second build, with source maps, to
    // split merged modules exactly (decision 510).
    clientCost: (buildWithSourceMaps({ log }), measureClientCost({ dir: SOURCE_MAPPED_DIR })),
  };
  printReport(report, { json, log: (line) => process.stdout.write(`${line}\n`) });
} finally {
  await server.stop();
}
