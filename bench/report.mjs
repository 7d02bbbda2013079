// Turns bench results into the table (or JSON) and checks the targets of
// docs/performance.md against them.

export function targetsOf(results) {
  const { health, me, refresh, meDuringStorm } = results;
  const ratio = (a, b) => +(a / b).toFixed(2);
  return [
    {
      name: "GET /api/me >= 0.85 x health req/s",
      measured: `${ratio(me.rps, health.rps)} x`,
      pass: me.rps >= 0.85 * health.rps,
    },
    {
      name: "chained refresh >= 0.60 x health req/s, 0 broken chains",
      measured: `${ratio(refresh.rps, health.rps)} x, ${refresh.brokenChains} broken`,
      pass: refresh.rps >= 0.6 * health.rps && refresh.brokenChains === 0 && refresh.errors === 0,
    },
    {
      name: "GET /api/me p99 in login storm <= 2 x idle p99",
      measured: `${meDuringStorm.p99} ms vs ${me.p99} ms idle (${ratio(meDuringStorm.p99, me.p99)} x)`,
      pass: meDuringStorm.p99 <= 2 * me.p99,
    },
  ];
}

const pad = (value, width, right = false) => (right ? String(value).padStart(width) : String(value).padEnd(width));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

export function printReport(report, { json, log }) {
  const targets = targetsOf(report.results);
  if (json) {
    log(JSON.stringify({ ...report, targets }, null, 2));
    return;
  }
  const { machine, config, results, clientCost, soak } = report;
  log("");
  log(`Fresh Auth bench: ${machine.cores} cores (${machine.cpu}), ${machine.memGB} GB, node ${machine.node}`);
  log(`other processes took ${machine.otherCpuPercent}% of the machine's busy CPU during the run (0 on a quiet machine)`);
  log(`${config.database}, bcrypt cost ${config.bcryptCost}, ${config.connections} connections, ${config.durationSeconds} s per row, WEB_CONCURRENCY=${config.webConcurrency}`);
  log("");
  log(`${pad("scenario", 38)}${pad("req/s", 10, true)}${pad("p50 ms", 9, true)}${pad("p99 ms", 9, true)}${pad("errors", 9, true)}`);
  for (const r of Object.values(results)) {
    log(`${pad(r.label, 38)}${pad(r.rps, 10, true)}${pad(r.p50, 9, true)}${pad(r.p99, 9, true)}${pad(r.errors, 9, true)}`);
  }
  const { refresh, meDuringStorm } = results;
  log(`  refresh: ${refresh.rotations} rotations, ${refresh.brokenChains}/10 broken chains`);
  log(`  storm: ${meDuringStorm.logins.requests} logins (${meDuringStorm.logins.rps}/s, p99 ${meDuringStorm.logins.p99} ms) alongside`);
  log("");
  log("targets");
  for (const t of targets) log(`  ${t.pass ? "PASS" : "MISS"}  ${pad(t.name, 56)} ${t.measured}`);
  log("");
  log(`client cost (lib/client in .next/static/chunks): ${kb(clientCost.gzipBytes)} gzipped, ${kb(clientCost.rawBytes)} minified`);
  for (const f of clientCost.files) log(`  ${f.file}: ${f.rawBytes !== undefined ? `module ${f.moduleId}, ${kb(f.rawBytes)} (${f.markers} markers)` : f.status}`);
  for (const c of clientCost.chunks) log(`  in chunk ${c.file}: ${kb(c.gzipBytes)} gzipped (whole chunk)`);
  if (!clientCost.files.length) log("  (no lib/client sources yet)");
  if (soak) {
    log("");
    log(`memory soak (${soak.seconds} s under mixed load): ${soak.flat ? "FLAT" : "GROWING"}`);
    log(`  RSS MB: ${soak.samples.map((s) => s.rssMB).join(", ")}`);
    log(`  trend ${soak.slopeMBPerMin} MB/min (projected ${soak.projectedGrowthMB} MB over the window, mean ${soak.meanMB} MB)`);
    log(`  served: ${soak.requests.me} /api/me, ${soak.requests.refresh} rotations (${soak.requests.refreshBroken} broken), ${soak.requests.login} logins`);
  }
}
