// Turns bench results into the table (or JSON) and checks the targets of
// docs/performance.md against them.

export const CLIENT_BUDGET_BYTES = 6 * 1024;

const ratio = (a, b) => (b ? +(a / b).toFixed(2) : 0);
// The same ratio from CPU time per request (the steadier figure on a shared machine).
const cpuNote = (row) => (row.xCpu !== undefined ? `; by CPU ms ${row.xCpu} x` : "");

export function targetsOf({ results, soak, clientCost }) {
  const { health, me, refresh, meIdle, meDuringStorm } = results;
  const targets = [
    {
      name: "GET /api/me >= 0.90 x health req/s",
      measured: `${me.xHealth} x (median of per-round ratios)${cpuNote(me)}`,
      pass: me.xHealth >= 0.9 && me.errors === 0,
    },
    {
      name: "chained refresh >= 0.70 x health req/s, 0 broken chains",
      measured: `${refresh.xHealth} x, ${refresh.brokenChains}/${refresh.chains} broken${cpuNote(refresh)}`,
      pass: refresh.xHealth >= 0.7 && refresh.brokenChains === 0 && refresh.errors === 0,
    },
    {
      name: "GET /api/me p99 in login storm <= 2 x idle p99",
      measured: `${meDuringStorm.p99} ms vs ${meIdle.p99} ms (${ratio(meDuringStorm.p99, meIdle.p99)} x)`,
      pass: meDuringStorm.p99 <= 2 * meIdle.p99 && meDuringStorm.errors === 0,
    },
  ];
  if (soak) {
    targets.push({
      name: `memory flat over ${soak.seconds} s (last third < first third + 5%)`,
      measured: `${soak.firstThirdMB} -> ${soak.lastThirdMB} MB (start ${soak.startMB}, end ${soak.endMB}, max ${soak.maxMB})`,
      pass: soak.flat,
    });
  }
  targets.push({
    name: "auth wrapper + dialog <= 6 KB gzipped",
    measured: `${(clientCost.gzipBytes / 1024).toFixed(1)} KB`,
    pass: clientCost.found && clientCost.gzipBytes <= CLIENT_BUDGET_BYTES,
  });
  return targets;
}

const pad = (value, width, right = false) => (right ? String(value).padStart(width) : String(value).padEnd(width));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export function printReport(report, { json, log }) {
  const targets = targetsOf(report);
  if (json) {
    log(JSON.stringify({ ...report, targets }, null, 2));
    return;
  }
  const { machine, config, results, clientCost, soak } = report;
  log("");
  log(`Fresh Auth bench: ${machine.cores} cores (${machine.cpu}${machine.mhz ? `, ${machine.mhz} MHz` : ""}), ${machine.memGB} GB, node ${machine.node}`);
  log(`SQLite (throwaway), bcrypt cost ${config.bcryptCost}, ${config.connections} connections, LOG_LEVEL=${config.logLevel}, WEB_CONCURRENCY=${config.webConcurrency}`);
  log(`${config.rounds} interleaved rounds of ${config.roundSeconds} s per row; figures are medians over rounds,`);
  log("x floor = median over rounds of (row req/s / floor req/s in the same round); the page rows' floor is the bare page");
  log("cpu ms = the server's CPU time (all threads, from /proc) over requests served; cpu x = floor cpu ms / row cpu ms");
  log(`other processes took ${machine.otherCpuPercent}% of the machine's busy CPU during the rows (0 on a quiet machine); "other %" per row`);
  log("");
  log(
    `${pad("scenario", 36)}${pad("req/s", 9, true)}${pad("x floor", 9, true)}${pad("cpu ms", 8, true)}${pad("cpu x", 7, true)}` +
      `${pad("p50 ms", 8, true)}${pad("p99 ms", 8, true)}${pad("errors", 8, true)}${pad("other %", 9, true)}`,
  );
  const fixed = (v, digits) => (v !== undefined ? v.toFixed(digits) : "");
  for (const r of Object.values(results)) {
    log(
      `${pad(r.label, 36)}${pad(r.rps, 9, true)}${pad(fixed(r.xHealth, 2), 9, true)}${pad(fixed(r.cpuMsPerRequest, 2), 8, true)}` +
        `${pad(fixed(r.xCpu, 2), 7, true)}${pad(r.p50, 8, true)}${pad(r.p99, 8, true)}${pad(r.errors, 8, true)}${pad(fixed(r.foreignPercent, 1), 9, true)}`,
    );
  }
  const { refresh, meDuringStorm } = results;
  log(`  refresh: ${refresh.rotations} real rotations over ${refresh.chains} chains, ${refresh.brokenChains} broken`);
  log(`  storm: ${meDuringStorm.logins.requests} logins (${meDuringStorm.logins.rps}/s median, p99 ${meDuringStorm.logins.p99} ms) alongside`);
  if (soak) {
    log("");
    log(`memory over ${soak.seconds} s of mixed load (server process tree RSS, MB): ${soak.samples.map((s) => s.rssMB).join(" ")}`);
    log(`  start ${soak.startMB}, end ${soak.endMB}, max ${soak.maxMB}; medians of first/last third ${soak.firstThirdMB}/${soak.lastThirdMB}; least-squares trend ${soak.slopeMBPerMin} MB/min`);
    log(`  served: ${soak.requests.me} /api/me, ${soak.requests.refresh} refreshes (${soak.requests.refreshBroken} failed), ${soak.requests.login} logins`);
  }
  log("");
  log(`client cost: ${kb(clientCost.gzipBytes)} gzipped (${kb(clientCost.rawBytes)} minified) that lib/client adds up front to its heaviest page${clientCost.page ? ` (${clientCost.page})` : ""}`);
  if (clientCost.method) log(`  measured on ${clientCost.dir ?? ".next"}: ${clientCost.method}`);
  for (const p of clientCost.pages ?? []) log(`  ${pad(p.page, 34)} ${kb(p.gzipBytes)} up front`);
  if (clientCost.onDemand) log(`  on demand (decision 508): ${kb(clientCost.onDemand.gzipBytes)} in ${clientCost.onDemand.modules} modules; all of lib/client, anywhere: ${kb(clientCost.all.gzipBytes)}`);
  log(`  ${clientCost.modules.length} browser modules: ${clientCost.libClientModules} from lib/client, ${clientCost.modules.length - clientCost.libClientModules} dependencies no other page code uses`);
  for (const f of clientCost.files) log(`  ${pad(f.file, 34)} ${f.moduleId !== undefined ? `module ${f.moduleId}, ${kb(f.rawBytes)}` : f.status}`);
  log("");
  log("targets");
  for (const t of targets) log(`  ${t.pass ? "PASS" : "FAIL"}  ${pad(t.name, 56)} ${t.measured}`);
}

// `node bench/report.mjs report.json`: the table again from a saved --json run.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync } = await import("node:fs");
  const saved = JSON.parse(readFileSync(process.argv[2], "utf8"));
  printReport(saved, { json: false, log: (line) => process.stdout.write(`${line}\n`) });
}
