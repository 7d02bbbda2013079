import type { Metadata } from "next";
import { SiteHeader } from "./_components/site-header";
import { SessionPanel } from "./_components/session-panel";
import { SessionTimeline } from "./_components/session-timeline";
import { VerifyBanner } from "./_components/verify-banner";
import { Greeting } from "./_components/current-user";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  // The page checks the session itself: there is no proxy.ts to trust (decision 301).
  const { user, session } = await requirePageSession("/");
  return (
    <>
      <SiteHeader user={user} current="/" session={session} />
      <main id="main" className="main stack">
        <Greeting initial={user} />
        {!user.emailVerified && <VerifyBanner email={user.email} />}
        <div className="grid">
          <SessionPanel initial={{ user, session }} />
          <SessionTimeline session={session} />
        </div>
        <section className="card" aria-labelledby="how-title">
          <h2 id="how-title">What you are looking at</h2>
          <p>
            Signing in with your password gives a <strong>fresh</strong> access token. When it expires, the app
            quietly asks for a new one; that one is <strong>not fresh</strong>. Everyday pages do not care, but
            sensitive actions (changing your email, deleting your account) ask you to confirm your password first,
            then carry on exactly where you were.
          </p>
          <p className="muted">Try it: wait for the access token to expire, then press “Check status”, or change your email on the Account page.</p>
        </section>
      </main>
    </>
  );
}
