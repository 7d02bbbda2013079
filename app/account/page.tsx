import type { Metadata } from "next";
import { SiteHeader } from "../_components/site-header";
import { VerifyBanner } from "../_components/verify-banner";
import { pendingEmailChange } from "@/lib/auth/links/email-change";
import { requirePageSession } from "@/lib/auth/page";
import { listPasskeys } from "@/lib/auth/proofs/passkey-store";
import { listSessions } from "@/lib/auth/sessions";
import { remainingRecoveryCodes } from "@/lib/auth/proofs/recovery-codes";
import { hasTotp } from "@/lib/auth/proofs/totp-factor";
import { DeleteAccount } from "./delete-account";
import { EmailForm } from "./email-form";
import { PasskeysSection } from "./passkeys-section";
import { PasswordForm } from "./password-form";
import { ProfileForm } from "./profile-form";
import { SecurityActivity } from "./security-activity";
import { SessionsList } from "./sessions-list";
import { TwoStepSection } from "./two-step-section";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  // The page checks the session itself, like every route handler does.
  const { user, session } = await requirePageSession("/account");
  const [sessions, pendingEmail, passkeys, totpOn, recoveryCodesLeft] = await Promise.all([
    listSessions(user.id, session.id),
    pendingEmailChange(user.id),
    listPasskeys(user.id),
    hasTotp(user.id),
    remainingRecoveryCodes(user.id),
  ]);
  return (
    <>
      <SiteHeader user={user} current="/account" session={session} />
      <main id="main" className="main stack">
        <div>
          <h1>Account</h1>
          <p className="muted">Changing your email, adding or removing a passkey, or deleting your account asks you to confirm it&apos;s you if you have not recently.</p>
        </div>
        {!user.emailVerified && <VerifyBanner email={user.email} />}
        <div className="grid">
          <ProfileForm name={user.name} />
          <EmailForm user={user} pendingEmail={pendingEmail} />
        </div>
        <PasswordForm email={user.email} />
        <PasskeysSection initial={passkeys} />
        <TwoStepSection enabled={totpOn} recoveryCodesLeft={recoveryCodesLeft} />
        <SessionsList initial={sessions} />
        <SecurityActivity userId={user.id} sessionId={session.id} />
        <DeleteAccount />
      </main>
    </>
  );
}
