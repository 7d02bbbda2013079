import type { Metadata } from "next";
import { SiteHeader } from "../_components/site-header";
import { VerifyBanner } from "../_components/verify-banner";
import { pendingEmailChange } from "@/lib/auth/links/email-change";
import { requirePageSession } from "@/lib/auth/page";
import { listSessions } from "@/lib/auth/sessions";
import { DeleteAccount } from "./delete-account";
import { EmailForm } from "./email-form";
import { PasswordForm } from "./password-form";
import { ProfileForm } from "./profile-form";
import { SecurityActivity } from "./security-activity";
import { SessionsList } from "./sessions-list";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  // The page checks the session itself, like every route handler does.
  const { user, session } = await requirePageSession("/account");
  const [sessions, pendingEmail] = await Promise.all([listSessions(user.id, session.id), pendingEmailChange(user.id)]);
  return (
    <>
      <SiteHeader user={user} current="/account" session={session} />
      <main id="main" className="main stack">
        <div>
          <h1>Account</h1>
          <p className="muted">Changing your email or deleting your account asks for your password if it was not checked recently.</p>
        </div>
        {!user.emailVerified && <VerifyBanner email={user.email} />}
        <div className="grid">
          <ProfileForm name={user.name} />
          <EmailForm user={user} pendingEmail={pendingEmail} />
        </div>
        <PasswordForm email={user.email} />
        <SessionsList initial={sessions} />
        <SecurityActivity userId={user.id} sessionId={session.id} />
        <DeleteAccount />
      </main>
    </>
  );
}
