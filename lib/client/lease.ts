import { LEASE_KEY } from "../shared/storage-keys";

const LEASE_MS = 16_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The refresh lock where Web Locks are missing: a lease in localStorage. Not
 * atomic, so two tabs can rarely both win; the server's refresh-reuse grace
 * turns that race into two successful answers instead of a sign-out. Loaded
 * on demand by browser-env.ts, so browsers with Web Locks never download it.
 * Past `waitMs` (or without storage) the task runs anyway: a frozen or crashed
 * holder must never wedge every other tab.
 */
export async function withLease<T>(task: () => Promise<T>, store: Storage | null, waitMs: number): Promise<T> {
  const me = Math.random().toString(36).slice(2);
  const deadline = Date.now() + waitMs;
  while (store && Date.now() < deadline) {
    const [owner, until] = (store.getItem(LEASE_KEY) ?? "").split(":");
    if (!owner || Number(until) < Date.now()) {
      store.setItem(LEASE_KEY, `${me}:${Date.now() + LEASE_MS}`);
      await sleep(20);
      if (store.getItem(LEASE_KEY)?.startsWith(`${me}:`)) break;
    }
    await sleep(50);
  }
  try {
    return await task();
  } finally {
    if (store?.getItem(LEASE_KEY)?.startsWith(`${me}:`)) store.removeItem(LEASE_KEY);
  }
}
