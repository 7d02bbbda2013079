import type { Metadata } from "next";
import { PlainHeader } from "@/app/_components/plain-header";
import { VerifyEmail } from "./verify-email";

export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };

export default function VerifyEmailPage() {
  return (
    <>
      <PlainHeader />
      <main id="main" className="auth-main">
        <div className="card">
          <h1>Confirm your email</h1>
          <VerifyEmail />
        </div>
      </main>
    </>
  );
}
