export const metadata = { title: "Notifications" };

export default function NotificationsPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p>Where alerts go: email, Slack, SMS, PagerDuty, Telegram and signed webhooks.</p>
        </div>
      </div>
      <section className="empty" aria-labelledby="no-channels">
        <h2 id="no-channels">No notification channels yet</h2>
        <p>Add a channel, then choose which monitors alert on it. Every delivery attempt will show up in the notification log here.</p>
      </section>
    </>
  );
}
