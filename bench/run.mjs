// `npm run bench [-- --json] [-- --soak] [-- --duration=10]`
// Starts the production server on a throwaway SQLite database (bcrypt cost 12,
// rate limits off), measures the hot paths with autocannon over loopback, and
// prints a table, the targets, and the browser's cost of lib/client.
// WEB_CONCURRENCY=N in the environment benches the clustered server.
import { availableParallelism, cpus } from "node:os";
import { readFileSync } from "node:fs";
import { measureClientCost } from "./client-cost.mjs";
import { cpuMeter } from "./proc.mjs";
import { chainedRefresh, health, login, me, signIn } from "./scenarios.mjs";
import { startServer } from "./server.mjs";
import { soak } from "./soak.mjs";
import { printReport } from "./report.mjs";

const args = process.argv.slice(2);
const json = args.includes("--json");
const duration = Number(args.find((a) => a.startsWith("--duration="))?.split("=")[1] ?? 10);
const warmup = { duration: 3 };
const log = (line) => (json ? process.stderr : process.stdout).write(`${line}\n`);

const summarize = (r) => ({
  rps: +(r.requests.total / r.duration).toFixed(1),
  p50: r.latency.p50,
  p99: r.latency.p99,
  errors: r.errors + r.timeouts + r.non2xx,
  requests: r.requests.total,
});

const server = await startServer({ log });
// A shared machine skews every row: measure how much CPU other processes took.
const meter = cpuMeter([server.pid, process.pid]);
try {
  const { email, sessions } = await signIn(server.url, 1 + 10 + 10);
  const [reader, warmChains, chains] = [sessions[0], sessions.slice(1, 11), sessions.slice(11)];
  const results = {};
  const step = async (key, label, start) => {
    log(`bench: ${label} (${duration} s)`);
    results[key] = { label, ...summarize(await start()) };
  };

  await health(server.url, warmup);
  await step("health", "GET /api/health (floor)", () => health(server.url, { duration }));
  await me(server.url, reader, warmup);
  await step("me", "GET /api/me", () => me(server.url, reader, { duration }));
  await chainedRefresh(server.url, warmChains, warmup);
  const refresh = chainedRefresh(server.url, chains, { duration });
  await step("refresh", "POST /api/auth/refresh (10 chains)", () => refresh);
  results.refresh.brokenChains = refresh.chains.filter((c) => c.broken > 0).length;
  results.refresh.rotations = refresh.chains.reduce((s, c) => s + c.rotations, 0);
  await step("login", "POST /api/auth/login", () => login(server.url, email, { duration }));
  // The storm: 8 login loops saturate bcrypt while /api/me is measured.
  const storm = login(server.url, email, { connections: 8, duration: duration + 30 });
  await new Promise((r) => setTimeout(r, 2000));
  await step("meDuringStorm", "GET /api/me + 8 login loops", () => me(server.url, reader, { duration }));
  storm.stop();
  results.meDuringStorm.logins = summarize(await storm);

  const report = {
    machine: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model ?? "unknown",
      node: process.version,
      otherCpuPercent: meter.stop().foreignPercent,
      memGB: +(Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0) / 2 ** 20).toFixed(1),
    },
    config: {
      database: "SQLite (throwaway file under .tmp/)",
      bcryptCost: 12,
      connections: 10,
      durationSeconds: duration,
      webConcurrency: process.env.WEB_CONCURRENCY ?? "1 (single process)",
    },
    results,
    clientCost: measureClientCost(),
    soak: args.includes("--soak") ? await soak(server, { log }) : undefined,
  };
  printReport(report, { json, log: (line) => process.stdout.write(`${line}\n`) });
} finally {
  await server.stop();
}
