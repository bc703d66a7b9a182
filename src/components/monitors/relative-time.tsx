/** "3 min ago", with the exact UTC time on hover. Rendered on the server at request time. */
export function RelativeTime({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="muted">never</span>;
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  const text = s < 5 ? "just now" : s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : s < 86400 ? `${Math.floor(s / 3600)} h ago` : `${Math.floor(s / 86400)} d ago`;
  return (
    <time dateTime={iso} title={`${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`}>
      {text}
    </time>
  );
}

/** 42 → "42 s", 4000 → "1 h 6 min", 200000 → "2 d 7 h". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return seconds % 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds / 60} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}
