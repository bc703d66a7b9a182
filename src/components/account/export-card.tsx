/** "Export my data": a plain download link to the session-authenticated export (docs/export.md). */
export function ExportCard() {
  return (
    <section className="card" aria-labelledby="export">
      <h2 id="export" style={{ marginTop: 0 }}>
        Export my data
      </h2>
      <p className="muted">
        One JSON file with your profile, your memberships and, for each organization you administer, its members, monitors, channels, status pages, incidents, audit log, billing records and the check
        results still kept. Secrets stay masked. Large organizations take a while: the file is written as it downloads.
      </p>
      <a className="btn" href="/api/account/export" download>
        Export my data
      </a>
    </section>
  );
}
