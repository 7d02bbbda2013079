// `npm test`: every test, in order of speed — unit, database, HTTP integration,
// security and cluster (SQLite, then PostgreSQL when TEST_DATABASE_URL_PG is
// set), then Playwright end-to-end against the production build. Prints one
// summary line at the end. `npm test -- unit|http|security|e2e|adoption` runs parts.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { serverTestRuns } from "./test-plan.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.NODE_ENV = "test";
const root = process.cwd();
const only = process.argv.slice(2); // e.g. `npm test -- unit http`
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
// The names of failed tests, repeated in the last lines: CI keeps only the
// tail of the output, and "1 failed" alone does not say where to look.
const failedTests = [];

function find(dir, suffix) {
  const out = [];
  const visit = (d) => {
    if (!existsSync(d)) return;
    for (const entry of readdirSync(d)) {
      const p = path.join(d, entry);
      if (entry === "node_modules" || entry === "generated") continue;
      if (statSync(p).isDirectory()) visit(p);
      else if (p.endsWith(suffix)) out.push(path.relative(root, p));
    }
  };
  visit(path.join(root, dir));
  return out.sort();
}

/** Runs a command, echoes its output, and counts what its runner reports. */
function run(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    let buffer = "";
    const counted = { passed: 0, failed: 0, skipped: 0 };
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop();
      for (const line of lines) {
        // node:test (TAP) summary lines, and Playwright's list reporter summary.
        let m;
        if ((m = /^# pass (\d+)/.exec(line))) counted.passed += +m[1];
        else if ((m = /^# fail (\d+)/.exec(line))) counted.failed += +m[1];
        else if ((m = /^# skipped (\d+)/.exec(line))) counted.skipped += +m[1];
        else if ((m = /^\s+(\d+) passed\b/.exec(line))) counted.passed += +m[1];
        else if ((m = /^\s+(\d+) failed\b/.exec(line))) counted.failed += +m[1];
        else if ((m = /^\s+(\d+) skipped\b/.exec(line))) counted.skipped += +m[1];
        // node:test's failed subtests; Playwright's list of failed or flaky tests.
        if ((m = /^\s*not ok \d+ - (.*)$/.exec(line)) && !/# (SKIP|TODO)/.test(line)) failedTests.push(`${name}: ${m[1]}`);
        else if ((m = /^\s+((?:\[\w+\] › )?\S+\.spec\.ts:\d+:\d+ › [^─]*?)\s*─*\s*$/.exec(line))) failedTests.push(`${name}: ${m[1]}`);
      }
    });
    child.on("exit", (code) => {
      for (const key of Object.keys(totals)) totals[key] += counted[key];
      if (code !== 0) failedSteps.push(`${name} (exit ${code})`);
      resolve(code);
    });
  });
}

const node = process.execPath;
const nodeTest = (files, concurrency = 1) => ["--conditions=react-server", "--import", "tsx", "--test", "--test-reporter=tap", `--test-concurrency=${concurrency}`, ...files];
const wants = (step) => only.length === 0 || only.includes(step);

if (wants("unit")) {
  const files = [...find("lib", ".test.ts"), ...find("tests/db", ".test.ts"), ...find("tests/scripts", ".test.ts")];
  // Two files at a time: one process per file, each mostly tsx's start-up on
  // one core (40 s → 29 s on 2 cores).
  if (files.length) await run("unit and database", node, nodeTest(files, 2));
}

if (wants("http") || wants("e2e") || wants("security")) {
  await run("build", node, ["node_modules/next/dist/bin/next", "build"]);
}

const pg = Boolean(process.env.TEST_DATABASE_URL_PG);
const serverRuns = serverTestRuns({ only, pg, find: (dir) => find(dir, ".test.ts") });
// Three server files at a time on 2 cores: several wait for the clock (a TOTP
// step, a pending sign-in's life, a held lock), so at two the cores sat ~30%
// idle; at three ~10% (SQLite 184 s → 146 s, PostgreSQL 172 s → 148 s, 2 cores).
// Timing tests keep their margins at this load; more would eat into them.
for (const { name, db, files } of serverRuns) await run(name, node, nodeTest(files, 3), { TEST_DB: db });
if (serverRuns.length && !pg) {
  console.log(`\n=== ${serverRuns[0].name.replace("SQLite", "PostgreSQL")}: SKIPPED — set TEST_DATABASE_URL_PG=postgresql://… to run it (CI always does).`);
}

if (wants("e2e") && existsSync(path.join(root, "playwright.config.ts"))) {
  await run("end-to-end (Playwright)", node, ["node_modules/@playwright/test/cli.js", "test", "--reporter=list"]);
}

// docs/adopting.md followed mechanically: a fresh app, built and driven in Chromium.
if (wants("adoption") || (only.length === 0 && existsSync(path.join(root, "tests/adoption")))) {
  await run("adoption guide (a fresh Next.js app built from docs/adopting.md)", node, nodeTest(find("tests/adoption", ".test.ts")));
}

if (failedTests.length) console.log(`\nFailed:\n${[...new Set(failedTests)].map((t) => `  ${t}`).join("\n")}`);
console.log(`\n${failedSteps.length ? `FAILED steps: ${failedSteps.join(", ")}` : "All steps passed."}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
