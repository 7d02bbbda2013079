import Link from "next/link";

// Apart from site-header.tsx: a page gets the client components of every file
// its server components import, used or not, and the signed-in header's
// (sign-out, session guard, renewing links) have no business on a signed-out page.

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
