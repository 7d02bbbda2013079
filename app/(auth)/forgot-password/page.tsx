import type { Metadata } from "next";
import Link from "next/link";
import { PlainHeader } from "@/app/_components/plain-header";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <PlainHeader />
      <main id="main" className="auth-main">
        <div className="card">
          <h1>Reset your password</h1>
          <p className="muted">Enter the email you signed up with. We will send a link to set a new password.</p>
          <ForgotPasswordForm />
          <p className="muted">
            Remembered it? <Link href="/login">Sign in</Link>
          </p>
        </div>
      </main>
    </>
  );
}
