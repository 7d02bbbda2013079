// How long a server process waits for its requests in flight after SIGTERM
// before cutting them off and exiting 1 (scripts/server.mjs), and so how long
// the cluster primary waits for its workers (scripts/cluster.mjs).
// 10 s is below the usual 30 s termination grace of orchestrators, so we exit
// before a SIGKILL. TEST_SHUTDOWN_TIMEOUT_MS exists only so that tests can
// watch the cut-off happen without waiting 10 s; production leaves it unset.
const DEFAULT_MS = 10_000;

export function shutdownTimeoutMs(env = process.env) {
  const ms = Number(env.TEST_SHUTDOWN_TIMEOUT_MS);
  return Number.isInteger(ms) && ms > 0 ? ms : DEFAULT_MS;
}
