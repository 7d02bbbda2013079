"use client";

import { useLayoutEffect, useSyncExternalStore } from "react";
import type { User } from "@/lib/client";
import { currentUser, publishUser, subscribeUser } from "@/lib/client/user-store";

/**
 * The signed-in user, kept current: the page's server-rendered copy first,
 * then whatever any response in any tab says (a name saved, an e-mail
 * confirmed). `renderedAt` (server time) is passed by the one component per
 * page that vouches for the page's copy, the header.
 */
export function useCurrentUser(initial: User, renderedAt?: string): User {
  useLayoutEffect(() => {
    if (renderedAt) publishUser(initial, Date.parse(renderedAt));
  }, [initial, renderedAt]);
  return useSyncExternalStore(
    subscribeUser,
    () => currentUser(initial),
    () => initial,
  );
}
