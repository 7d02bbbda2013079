// `npm audit --omit=dev` for CI: fails on any high or critical advisory in a
// production dependency. When the registry's audit endpoint cannot be reached
// or refuses the request (these build machines answer 405), it says so loudly
// and does not fail: the check is unavailable, not passed. Anything else that
// keeps npm from producing a report fails, so a broken audit is never silent.
import { spawnSync } from "node:child_process";

const result = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8" });
let report = null;
try {
  report = JSON.parse(result.stdout);
} catch {
  // no JSON at all: judged below
}

const counts = report?.metadata?.vulnerabilities;
if (counts && !report.error) {
  const { high = 0, critical = 0, moderate = 0, low = 0 } = counts;
  console.log(`[audit] production dependencies: critical ${critical}, high ${high}, moderate ${moderate}, low ${low}`);
  if (high + critical > 0) {
    console.log("[audit] FAILED: fix or replace the packages above (`npm audit --omit=dev` lists them).");
    process.exit(1);
  }
  process.exit(0);
}

const reason = String(report?.message ?? report?.error?.summary ?? result.error?.message ?? result.stderr?.split("\n").find((l) => /error/i.test(l)) ?? "no answer").trim();
const errorCode = String(report?.error?.code ?? report?.code ?? "");
// The endpoint answered with an HTTP error, or the network could not reach it.
const unreachable =
  typeof report?.statusCode === "number" ||
  /^E(\d{3}|NOTFOUND|CONNREFUSED|CONNRESET|TIMEDOUT|AI_AGAIN|NETUNREACH)$/.test(errorCode) ||
  /audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH/.test(`${reason}\n${result.stderr ?? ""}`);
if (unreachable) {
  console.log(`[audit] UNAVAILABLE: the audit endpoint did not answer (${reason}). Not counted as a pass.`);
  process.exit(0);
}
console.log(`[audit] FAILED: npm audit produced no report (${reason}).`);
process.exit(2);
