import type { Metadata } from "next";
import { PlainHeader } from "@/app/_components/plain-header";
import { ResetPasswordForm } from "./reset-password-form";

// The token travels in the fragment, which no Referer carries; no-referrer
// is the second belt, for any link or resource this page might load.
export const metadata: Metadata = { title: "Set a new password", referrer: "no-referrer" };

export default function ResetPasswordPage() {
  return (
    <>
      <PlainHeader />
      <main id="main" className="auth-main">
        <div className="card">
          <h1>Set a new password</h1>
          <p className="muted">Every other device will be signed out; this one will be signed in.</p>
          <ResetPasswordForm />
        </div>
      </main>
    </>
  );
}
