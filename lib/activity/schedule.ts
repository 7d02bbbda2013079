import "server-only";
import { log } from "../log";
import { deleteExpiredEvents } from "./cleanup";

/** Often enough that nothing outlives 90 days by more than a few hours. */
export const CLEANUP_INTERVAL_MS = 6 * 3600 * 1000;

interface Scheduler {
  timer: ReturnType<typeof setInterval>;
  first: Promise<void>;
}

// On globalThis: Next may load this module more than once in a process
// (separate bundles), and there must still be one timer per process.
const holder = globalThis as unknown as { freshAuthEventCleanup?: Scheduler };

export interface CleanupOptions {
  intervalMs?: number;
  run?: () => Promise<unknown>;
}

/**
 * The retention of the activity log, inside the app (no external cron): one
 * run at start, then one per interval. The timer is unref()ed so it never
 * keeps a stopping server alive, and a failed run (database away) is logged
 * and retried at the next tick. Several instances each run it; the delete is
 * idempotent (cleanup.ts). Calling it again in the same process is a no-op.
 */
export function startEventCleanup(options: CleanupOptions = {}): Scheduler {
  if (holder.freshAuthEventCleanup) return holder.freshAuthEventCleanup;
  const run = options.run ?? deleteExpiredEvents;
  const tick = async () => {
    try {
      await run();
    } catch (error) {
      log.warn({ err: error }, "security event cleanup failed; retrying at the next interval");
    }
  };
  const timer = setInterval(tick, options.intervalMs ?? CLEANUP_INTERVAL_MS);
  timer.unref();
  holder.freshAuthEventCleanup = { timer, first: tick() };
  return holder.freshAuthEventCleanup;
}

/** For tests: forget the scheduler so the next start makes a new one. */
export function stopEventCleanup(): void {
  if (holder.freshAuthEventCleanup) clearInterval(holder.freshAuthEventCleanup.timer);
  holder.freshAuthEventCleanup = undefined;
}
