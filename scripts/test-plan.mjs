// Which server test files `npm test` runs, on which database (scripts/test.mjs).
// Kept apart and pure so that tests/scripts/test-plan.test.ts can check the plan.
import path from "node:path";

// Run once, in the SQLite pass, whatever TEST_DB says: faults-* start servers
// on both providers themselves (so they already cover PostgreSQL), and
// audit.test.ts uses no database. The HTTP-layer files below do reach the
// database (a sign-in, a refresh), but what they test is decided before it or
// beside it: response headers, CSRF and origin checks, body limits, Next's
// internal headers, keep-alive and slow clients, cookie names and scopes, the
// outbox file, APP_URL, the bcrypt queue, the test harness's own start-up
// check. A second pass on PostgreSQL repeated ~90 s of such work per Node
// version and checked nothing new.
// Every other server test file takes its database from TEST_DB
// (tests/http/harness.ts) and runs on both.
const RUNS_ONCE = /^(faults-.*|audit|headers|csrf|input|nextjs|connection|cookie-tossing|cookie-tossing-browser|outbox|contract-app-url|passkey-app-url|bcrypt-flood|harness)\.test\.ts$/;

/**
 * The node:test runs for the steps asked for (`only`; empty means all):
 * `http` is every server suite (tests/http, tests/security, tests/cluster),
 * `security` is tests/security alone. SQLite first, then PostgreSQL when `pg`.
 * `find(dir)` lists the test files under a directory.
 */
export function serverTestRuns({ only, pg, find }) {
  const wants = (step) => only.length === 0 || only.includes(step);
  const files = [
    ...(wants("http") ? find("tests/http") : []),
    ...(wants("http") || wants("security") ? find("tests/security") : []),
    ...(wants("http") ? find("tests/cluster") : []),
  ];
  if (!files.length) return [];
  const suite = wants("http") ? "HTTP" : "security";
  const runs = [{ name: `${suite} on SQLite`, db: "sqlite", files }];
  if (pg) {
    const perProvider = files.filter((file) => !RUNS_ONCE.test(path.basename(file)));
    runs.push({ name: `${suite} on PostgreSQL`, db: "postgresql", files: perProvider });
  }
  return runs;
}
