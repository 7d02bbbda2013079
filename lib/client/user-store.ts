import type { TabChannel } from "./channel";
import type { User } from "./types";

/**
 * The signed-in user as this browser last learned it, so the header, the
 * home page and the account page all show the same name and e-mail, and all
 * change together, in every tab, without a reload.
 *
 * Every copy carries a stamp in server time (a page's render time, or a
 * response's `Date`): a page restored from the router's cache, or an answer
 * that was overtaken, is older than what is known and changes nothing.
 */
interface Known {
  user: User;
  stamp: number;
}

let known: Known | null = null;
const listeners = new Set<() => void>();
let channel: TabChannel | null = null;
let settle: (() => void) | null = null;
let settling = false;

function accept(next: Known): boolean {
  if (known && known.user.id === next.user.id && known.stamp > next.stamp) return false;
  const same = known && JSON.stringify(known.user) === JSON.stringify(next.user);
  // Two different copies from the same second (two tabs saving at once):
  // the stamps cannot order them, so ask the server once which one won.
  if (known && !same && known.user.id === next.user.id && known.stamp === next.stamp && settle && !settling) {
    settling = true;
    setTimeout(() => {
      settling = false;
      settle?.();
    }, 50);
  }
  known = next;
  if (!same) listeners.forEach((listener) => listener());
  return true;
}

/**
 * Wires the store to the other tabs (once, from the app's one wrapper);
 * `refetch` reads the user again (GET /api/me) when copies tie.
 */
export function connectUserStore(tabs: TabChannel, refetch: () => void): void {
  if (channel) return;
  channel = tabs;
  settle = refetch;
  tabs.subscribe((message) => {
    if (message.type === "user") accept({ user: message.user, stamp: message.stamp });
  });
}

/**
 * A response (or a page) showed this user at server time `stamp`; tell this
 * tab and the others. "latest" (a Server Action's answer, which has no `Date`)
 * orders it just after everything known.
 */
export function publishUser(user: User, at: number | "latest"): void {
  if (typeof window === "undefined") return;
  const stamp = at === "latest" ? (known?.stamp ?? 0) + 1 : at;
  const changed = known === null || known.user.id !== user.id || JSON.stringify(known.user) !== JSON.stringify(user);
  if (accept({ user, stamp }) && changed) channel?.post({ type: "user", user, stamp });
}

export function subscribeUser(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The newest copy for this user id, else the page's own (server rendering, first paint). */
export function currentUser(fallback: User): User {
  return known && known.user.id === fallback.id ? known.user : fallback;
}

/** Tests only. */
export function resetUserStore(): void {
  known = null;
  channel = null;
  settle = null;
  listeners.clear();
}
