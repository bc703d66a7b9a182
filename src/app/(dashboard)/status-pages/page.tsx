export const metadata = { title: "Status pages" };

export default function StatusPagesPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Status pages</h1>
          <p>Public pages that tell your customers what is up, what is down and what you are doing about it.</p>
        </div>
      </div>
      <section className="empty" aria-labelledby="no-pages">
        <h2 id="no-pages">No status pages yet</h2>
        <p>Once you have monitors, group them into a status page on your own domain, post incident updates and let subscribers follow along.</p>
      </section>
    </>
  );
}
