import type { Metadata } from "next";
import Link from "next/link";
import { PlainHeader } from "@/app/_components/plain-header";
import { safeNextPath } from "@/lib/auth/next-path";
import { redirectIfSignedIn } from "@/lib/auth/page";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Create account" };

interface Props {
  searchParams: Promise<{ next?: string | string[] }>;
}

export default async function RegisterPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  await redirectIfSignedIn(next);
  const loginHref = next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
  return (
    <>
      <PlainHeader />
      <main id="main" className="auth-main">
        <div className="card">
          <h1>Create your account</h1>
          <RegisterForm next={next} />
          <p className="muted">
            Already registered? <Link href={loginHref}>Sign in instead</Link>
          </p>
        </div>
      </main>
    </>
  );
}
