import type { PageSessionInfo, PageUser } from "@/lib/auth/page";
import { AppLink, NavProblem } from "./app-link";
import { HeaderUser } from "./current-user";
import { SessionGuard } from "./session-guard";
import { SessionHint } from "./session-hint";
import { SignOutButton } from "./sign-out-button";

interface Props {
  user: PageUser;
  current: "/" | "/account";
  session: PageSessionInfo;
}

/** The signed-in header: a banner landmark holding the one header "Sign out". */
export function SiteHeader({ user, current, session }: Props) {
  const renderedAt = new Date().toISOString();
  const link = (href: Props["current"], label: string) => (
    <AppLink href={href} aria-current={current === href ? "page" : undefined}>
      {label}
    </AppLink>
  );
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <AppLink href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Fresh Auth
        </AppLink>
        <nav className="nav" aria-label="Main">
          {link("/", "Home")}
          {link("/account", "Account")}
        </nav>
        <div className="header-user">
          <HeaderUser initial={user} renderedAt={renderedAt} />
          <SignOutButton />
        </div>
      </div>
      <NavProblem />
      <SessionHint session={session} serverNow={renderedAt} />
      <SessionGuard />
    </header>
  );
}
