import type { Metadata } from "next";
import { PlainHeader } from "../_components/site-header";
import { safeNextPath } from "@/lib/auth/next-path";
import { ResumeSession } from "./resume-session";

export const metadata: Metadata = { title: "Signing you in", robots: { index: false } };

interface Props {
  searchParams: Promise<{ next?: string | string[] }>;
}

/**
 * Where a client-side navigation lands when the server component found the
 * access token expired (docs/decisions/301). It shows nothing signed-out: it
 * renews the token through the fetch wrapper and carries on to `next`.
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
