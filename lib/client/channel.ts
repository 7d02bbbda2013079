import type { User } from "./types";

/** Why a tab is leaving for /login; the sign-in page says it in words (lib/client/sign-out-reason.ts). */
export type SignOutReason = "other-tab" | "ended" | "expired";

/**
 * What one tab tells the others. Only facts and times travel, never a token:
 * the cookies themselves are already shared by every tab of the browser.
 */
export type TabMessage =
  /** A "Confirm it's you" succeeded here: every other tab closes its dialog and replays. */
  | { type: "confirmed"; at: string }
  /** This browser's session is over (signed out here, or found ended): leave at once. */
  | { type: "signed-out"; reason: SignOutReason }
  /** The account's details changed (a response carried `user`); `stamp` orders stale copies out. */
  | { type: "user"; user: User; stamp: number };

export interface TabChannel {
  post(message: TabMessage): void;
  /** Messages from OTHER tabs only; returns the unsubscribe function. */
  subscribe(listener: (message: TabMessage) => void): () => void;
}

const NAME = "fresh-auth:tabs";

/**
 * BroadcastChannel where it exists (every current browser); else the
 * `storage` event, which also reaches only the other tabs. Created lazily:
 * this module is evaluated during server rendering too.
 */
export function createTabChannel(): TabChannel {
  let channel: BroadcastChannel | null | undefined;
  const open = () => {
    if (channel === undefined) channel = typeof BroadcastChannel === "function" && typeof window !== "undefined" ? new BroadcastChannel(NAME) : null;
    return channel;
  };
  return {
    post(message) {
      if (typeof window === "undefined") return;
      const bc = open();
      if (bc) return bc.postMessage(message);
      try {
        // A unique value every time, or a repeated message would not fire the event.
        localStorage.setItem(NAME, JSON.stringify({ message, nonce: Math.random() }));
        localStorage.removeItem(NAME);
      } catch {
        // Storage blocked: other tabs learn it on their next request instead.
      }
    },
    subscribe(listener) {
      if (typeof window === "undefined") return () => undefined;
      const bc = open();
      if (bc) {
        const onMessage = (event: MessageEvent<TabMessage>) => listener(event.data);
        bc.addEventListener("message", onMessage);
        return () => bc.removeEventListener("message", onMessage);
      }
      const onStorage = (event: StorageEvent) => {
        if (event.key !== NAME || !event.newValue) return;
        try {
          listener((JSON.parse(event.newValue) as { message: TabMessage }).message);
        } catch {
          // Not ours.
        }
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
  };
}

/** For tests: tabs of one fake browser hear each other, never themselves. */
export function createMemoryChannels() {
  const listeners = new Map<number, Set<(message: TabMessage) => void>>();
  let next = 0;
  return function channel(): TabChannel {
    const me = next++;
    listeners.set(me, new Set());
    return {
      post(message) {
        for (const [tab, set] of listeners) if (tab !== me) set.forEach((listener) => listener(message));
      },
      subscribe(listener) {
        listeners.get(me)?.add(listener);
        return () => listeners.get(me)?.delete(listener);
      },
    };
  };
}
