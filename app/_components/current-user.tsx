"use client";

import type { User } from "@/lib/client";
import { useCurrentUser } from "./use-current-user";

/**
 * Client leaves that show who is signed in, so a change of name or e-mail
 * (here, in another tab, or confirmed from a link) shows everywhere at once.
 * Long values wrap or truncate; the full value stays available (title, and
 * the text itself for screen readers).
 */
export function HeaderUser({ initial, renderedAt }: { initial: User; renderedAt: string }) {
  const { email } = useCurrentUser(initial, renderedAt);
  return (
    <span className="header-email" title={email} data-testid="header-email">
      {email}
    </span>
  );
}

export function Greeting({ initial }: { initial: User }) {
  const user = useCurrentUser(initial);
  return (
    <div>
      <h1 className="wrap-anywhere">Hello{user.name ? `, ${user.name}` : ""}</h1>
      <p className="muted wrap-anywhere">
        Signed in as <strong>{user.email}</strong>
      </p>
    </div>
  );
}
