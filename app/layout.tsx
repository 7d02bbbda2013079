import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { ClientProviders } from "@/lib/client/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Fresh Auth", template: "%s · Fresh Auth" },
  description: "Access, refresh and fresh tokens in the browser.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
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
