import Link from "next/link";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="auth-wrap">
      <div className="auth-card">
        <Link href="/" className="brand" aria-label="Perigee home">
          <span className="brand-dot" aria-hidden />
          Perigee
        </Link>
        {children}
      </div>
    </main>
  );
}
