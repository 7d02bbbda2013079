// How many bcrypt threads one server process runs (lib/auth/password.ts).
// Plain JavaScript so that the cluster primary (scripts/cluster.mjs), which runs
// without a compiler or bundler, applies the very rule the pool would.

/**
 * The machine's bcrypt budget is `cores − 1` threads (one core stays for the
 * request threads), split equally between the server processes sharing it.
 * Every process gets at least one: with none it would hash on its request
 * thread and stall every request. See docs/decisions/501-bcrypt-worker-pool.md.
 */
export function bcryptThreads(cores, processes = 1) {
  return Math.max(1, Math.floor((cores - 1) / processes));
}
