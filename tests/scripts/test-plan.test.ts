// What `npm test` runs on each database (scripts/test-plan.mjs): every server
// test that takes its database from TEST_DB runs on both; the fault tests
// (which pick both providers themselves), the audit test and the HTTP-layer
// files (CSRF, headers, …) run once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverTestRuns } from "../../scripts/test-plan.mjs";

const TREE: Record<string, string[]> = {
  "tests/http": ["tests/http/auth-flow.test.ts", "tests/http/multi-instance.test.ts"],
  "tests/security": [
    "tests/security/audit.test.ts",
    "tests/security/brute-force.test.ts",
    "tests/security/csrf.test.ts",
    "tests/security/faults-outage.test.ts",
    "tests/security/faults-rotation.test.ts",
    "tests/security/tokens.test.ts",
  ],
  "tests/cluster": ["tests/cluster/cluster.test.ts"],
};
const find = (dir: string) => TREE[dir] ?? [];
const plan = (only: string[], pg = true) => serverTestRuns({ only, pg, find });
const PER_PROVIDER_SECURITY = ["tests/security/brute-force.test.ts", "tests/security/tokens.test.ts"];

test("`http` (and no step named) runs every server suite on SQLite, and all but the run-once files on PostgreSQL", () => {
  const expected = [
    { name: "HTTP on SQLite", db: "sqlite", files: Object.values(TREE).flat() },
    { name: "HTTP on PostgreSQL", db: "postgresql", files: [...TREE["tests/http"], ...PER_PROVIDER_SECURITY, ...TREE["tests/cluster"]] },
  ];
  assert.deepEqual(plan(["http"]), expected);
  assert.deepEqual(plan([]), expected);
});

test("`security` runs tests/security alone, on both databases", () => {
  assert.deepEqual(plan(["security"]), [
    { name: "security on SQLite", db: "sqlite", files: TREE["tests/security"] },
    { name: "security on PostgreSQL", db: "postgresql", files: PER_PROVIDER_SECURITY },
  ]);
});

test("without PostgreSQL only the SQLite run is planned; steps without servers plan none", () => {
  assert.deepEqual(plan(["security"], false).map((r) => r.db), ["sqlite"]);
  assert.deepEqual(plan(["unit"]), []);
  assert.deepEqual(plan(["e2e"]), []);
});
