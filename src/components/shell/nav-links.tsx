"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

type Item = { href: string; label: string };

export function NavLinks({ sections }: { sections: { title?: string; items: Item[] }[] }) {
  const path = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {sections.map((s, i) => (
        <div key={s.title ?? i} className="nav">
          {s.title && <div className="nav-section">{s.title}</div>}
          {s.items.map((it) => (
            <Link key={it.href} href={it.href} aria-current={path === it.href || path.startsWith(it.href + "/") ? "page" : undefined}>
              {it.label}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}
