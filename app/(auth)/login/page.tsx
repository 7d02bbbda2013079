import type { Metadata } from "next";
import Link from "next/link";
import { PlainHeader } from "@/app/_components/plain-header";
import { redirectIfSignedIn } from "@/lib/auth/page";
import { safeNextPath } from "@/lib/auth/next-path";
import { endedSessionReason } from "@/lib/auth/signed-out-reason";
import { LoginForm } from "./login-form";
import { PasskeySignIn } from "./passkey-sign-in";

export const metadata: Metadata = { title: "Sign in" };

const STATUS: Record<string, string> = {
  deleted: "Your account has been deleted. Thank you for trying Fresh Auth.",
  "signed-out": "You have signed out.",
  "session-ended": "Your session has ended. Please sign in again.",
};

interface Props {
  searchParams: Promise<{ next?: string | string[]; status?: string | string[] }>;
}

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  // Only same-origin paths: `next` must never become an open redirect.
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  const statusKey = typeof params.status === "string" ? params.status : undefined;
  // After a failed hand-off the form is the way on, even with an expired access cookie left over.
  await redirectIfSignedIn(next, { resume: statusKey !== "session-ended" });
  const status = statusKey ? STATUS[statusKey] : undefined;
  const serverReason = await endedSessionReason();
  const registerHref = next === "/" ? "/register" : `/register?next=${encodeURIComponent(next)}`;
  return (
    <>
      <PlainHeader />
      <main id="main" className="auth-main">
        <div className="card">
          <h1>Sign in</h1>
          <p className="muted">Fresh Auth shows access, refresh and fresh tokens at work: sign in and watch your session renew itself, and confirm it&rsquo;s you before anything sensitive.</p>
          <LoginForm next={next} status={status} serverReason={serverReason} />
          <p>
            <Link href="/forgot-password">Forgot password?</Link>
          </p>
          <PasskeySignIn next={next} />
          <p className="muted">
            New here? <Link href={registerHref}>Create account</Link>
          </p>
        </div>
      </main>
    </>
  );
}
