import type { Metadata } from "next";
import Link from "next/link";
import { PlainHeader } from "../_components/plain-header";
import { safeNextPath } from "@/lib/auth/next-path";

export const metadata: Metadata = { title: "Briefly unavailable", robots: { index: false } };

interface Props {
  searchParams: Promise<{ next?: string | string[] }>;
}

/**
 * Where a signed-in page sends the browser when it could not check the
 * session because the database is unreachable (lib/auth/page.ts). It touches
 * no database and no cookie: the session is intact, and "Try again" goes back
 * to the page that was asked for.
 */
export default async function UnavailablePage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  return (
    <>
      <PlainHeader link={false} />
      <main id="main" className="auth-main">
        <div className="card stack">
          <h1>Briefly unavailable</h1>
          <p>The service cannot reach its database right now. You are still signed in and nothing was lost.</p>
          <div className="actions">
            <Link className="button button-primary" href={next} prefetch={false}>
              Try again
            </Link>
          </div>
        </div>
      </main>
    </>
  );
}
