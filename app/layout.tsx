import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { ClientProviders } from "@/lib/client/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Fresh Auth", template: "%s · Fresh Auth" },
  description: "Access, refresh and fresh tokens in the browser.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry that response's CSP
  // nonce (proxy.ts), which a page prerendered at build time could not have.
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <ClientProviders>{children}</ClientProviders>
      </body>
    </html>
  );
}
