import Link from "next/link";
import type { PageSessionInfo } from "@/lib/auth/page";
import { SessionHint } from "./session-hint";
import { SignOutButton } from "./sign-out-button";

interface Props {
  email: string;
  current: "/" | "/account";
  session: PageSessionInfo;
}

/** The signed-in header: a banner landmark holding the one header "Sign out". */
export function SiteHeader({ email, current, session }: Props) {
  const link = (href: Props["current"], label: string) => (
    <Link href={href} aria-current={current === href ? "page" : undefined}>
      {label}
    </Link>
  );
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Fresh Auth
        </Link>
        <nav className="nav" aria-label="Main">
          {link("/", "Home")}
          {link("/account", "Account")}
        </nav>
        <div className="header-user">
          <span>{email}</span>
          <SignOutButton />
        </div>
      </div>
      <SessionHint session={session} serverNow={new Date().toISOString()} />
    </header>
  );
}

/** The signed-out header of /login and /register; /resume shows the brand without a link. */
export function PlainHeader({ link = true }: { link?: boolean }) {
  const brand = (
    <>
      <span className="brand-mark" aria-hidden="true" />
      Fresh Auth
    </>
  );
  return (
    <header className="site-header">
      <div className="site-header-inner">
        {link ? (
          <Link href="/login" className="brand">
            {brand}
          </Link>
        ) : (
          <span className="brand">{brand}</span>
        )}
      </div>
    </header>
  );
}
