import Link from "next/link";

export default function NotFound() {
  return (
    <main className="auth-wrap">
      <div className="auth-card">
        <h1>Not found</h1>
        <p className="muted">There is nothing here, or you do not have access to it.</p>
        <Link href="/">Go to Perigee</Link>
      </div>
    </main>
  );
}
