"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";

type Item = { href: string; label: string };

/** The id of the checkbox that opens the navigation on narrow screens (layout.tsx). */
export const NAV_TOGGLE_ID = "nav-toggle";

export function NavLinks({ sections }: { sections: { title?: string; items: Item[] }[] }) {
  const path = usePathname();
  // On phones the menu is a checkbox toggle: close it once a link has taken us somewhere.
  useEffect(() => {
    const toggle = document.getElementById(NAV_TOGGLE_ID);
    if (toggle instanceof HTMLInputElement) toggle.checked = false;
  }, [path]);
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
