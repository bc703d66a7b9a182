import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Perigee", template: "%s · Perigee" },
  description: "Uptime monitoring, alerting and status pages.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
