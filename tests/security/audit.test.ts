// Item 5 — the dependency audit CI runs (scripts/audit.mjs). The registry's
// audit endpoint cannot be reached from these machines, so the script is
// driven by a stand-in `npm` on PATH that prints what the real one prints:
// a real high or critical finding must fail CI; an unreachable endpoint is
// reported as UNAVAILABLE without failing; anything else fails loudly.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { ROOT } from "../http/harness";

const dir = mkdtempSync(path.join(tmpdir(), "fake-npm-"));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  path.join(dir, "npm"),
  `#!/bin/sh\necho "$@" > "${dir}/args"\ncat "${dir}/stdout"\ncat "${dir}/stderr" >&2\nexit $(cat "${dir}/code")\n`,
);
chmodSync(path.join(dir, "npm"), 0o755);

function audit(stdout: unknown, code: number, stderr = "") {
  writeFileSync(path.join(dir, "stdout"), typeof stdout === "string" ? stdout : JSON.stringify(stdout));
  writeFileSync(path.join(dir, "stderr"), stderr);
  writeFileSync(path.join(dir, "code"), String(code));
  const run = spawnSync(process.execPath, ["scripts/audit.mjs"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` },
  });
  return { status: run.status, output: run.stdout + run.stderr, args: readFileSync(path.join(dir, "args"), "utf8").trim() };
}

const report = (counts: Record<string, number>) => ({
  auditReportVersion: 2,
  vulnerabilities: {},
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts }, dependencies: { prod: 30 } },
});

// What npm 11 printed on these machines (trimmed).
const ENDPOINT_405 = {
  message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  method: "POST",
  statusCode: 405,
  body: "",
  error: { summary: "", detail: "" },
};

describe("scripts/audit.mjs", () => {
  test("audits production dependencies only, as JSON", () => {
    assert.equal(audit(report({}), 0).args, "audit --omit=dev --json");
  });

  test("a high or a critical finding fails CI", () => {
    for (const counts of [{ high: 1 }, { critical: 2 }, { high: 1, critical: 1, low: 4 }] as Record<string, number>[]) {
      const run = audit(report(counts), 1);
      assert.equal(run.status, 1, `${JSON.stringify(counts)}: ${run.output}`);
      assert.match(run.output, /FAILED/);
    }
  });

  test("no finding, or only low and moderate ones, passes", () => {
    assert.equal(audit(report({}), 0).status, 0);
    const run = audit(report({ low: 3, moderate: 2 }), 1);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /moderate 2, low 3/);
  });

  test("an endpoint that refuses (405 here) or cannot be reached is UNAVAILABLE, not a pass and not a failure", () => {
    const refused = audit(ENDPOINT_405, 1, "npm error audit endpoint returned an error\n");
    assert.equal(refused.status, 0, refused.output);
    assert.match(refused.output, /UNAVAILABLE.*405 Method Not Allowed/);
    const offline = audit({ error: { code: "ENOTFOUND", summary: "request to https://registry.npmjs.org failed, reason: getaddrinfo ENOTFOUND" } }, 1);
    assert.equal(offline.status, 0, offline.output);
    assert.match(offline.output, /UNAVAILABLE/);
  });

  test("any other failure to produce a report fails", () => {
    for (const [stdout, stderr] of [
      [{ error: { code: "ENOLOCK", summary: "This command requires an existing lockfile." } }, ""],
      ["", "npm error something unexpected\n"],
      ["not json", ""],
    ] as const) {
      const run = audit(stdout, 1, stderr);
      assert.notEqual(run.status, 0, `${JSON.stringify(stdout)}: ${run.output}`);
      assert.match(run.output, /FAILED/);
    }
  });
});
