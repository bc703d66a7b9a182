import Link from "next/link";

/** The editor's tabs: settings and components, incidents, and the public page. */
export function StatusPageNav({ pageId, slug, current }: { pageId: string; slug: string; current: "editor" | "incidents" }) {
  return (
    <nav className="chips toolbar" aria-label="Status page">
      <Link className="chip" href={`/status-pages/${pageId}`} aria-current={current === "editor" ? "page" : undefined}>
        Page and components
      </Link>
      <Link className="chip" href={`/status-pages/${pageId}/incidents`} aria-current={current === "incidents" ? "page" : undefined}>
        Incidents
      </Link>
      <a className="chip" href={`/status/${slug}`} target="_blank" rel="noopener" data-testid="preview-link">
        Preview ↗
      </a>
    </nav>
  );
}
