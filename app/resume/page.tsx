import type { Metadata } from "next";
import { PlainHeader } from "../_components/plain-header";
import { safeNextPath } from "@/lib/auth/next-path";
import { ResumeSession } from "./resume-session";

export const metadata: Metadata = { title: "Loading", robots: { index: false } };

interface Props {
  searchParams: Promise<{ next?: string | string[] }>;
}

/**
 * Where a client-side navigation lands when the server component found the
 * access token expired and the wrapper had not renewed it first (its expiry
 * was unknown; header links renew before navigating, app/_components/app-link.tsx).
 * It shows nothing signed-out and says nothing of signing in: it renews the
 * token through the fetch wrapper and carries on to `next` (docs/decisions/301).
 */
export default async function ResumePage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  return (
    <>
      <PlainHeader link={false} />
      <main id="main" className="auth-main">
        <ResumeSession next={next} />
      </main>
    </>
  );
}
