import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Perigee", template: "%s · Perigee" },
  description: "Uptime monitoring, alerting and status pages.",
};

/**
 * Every page renders per request, so Next stamps each script with that request's CSP nonce
 * (src/proxy.ts, ADR 4). A page prerendered at build time would carry no nonce and the
 * browser would block all its scripts; awaiting connection() here keeps any page, the 404
 * included, from being prerendered.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
