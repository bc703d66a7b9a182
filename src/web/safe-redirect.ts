/**
 * Where to send the browser after sign-in: a `next` taken from the URL is followed only when
 * it stays on this site. A prefix check is not enough: browsers read "/\evil.test" as
 * "//evil.test" and drop tabs and newlines ("/\t/evil.test"), so the value is refused when it
 * holds a backslash or a control character, then resolved like the browser would and kept only
 * when the origin is unchanged. Pure: used by server pages and client forms alike.
 */
export const AFTER_SIGN_IN = "/monitors";

const BASE = "https://perigee.invalid";

export function safeNext(next: string | null | undefined, fallback = AFTER_SIGN_IN): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused here
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  // The normalised form, so what is followed is exactly what was checked; "/.//evil.test"
  // normalises to "//evil.test", which would leave the site: refused too.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? fallback : path;
}
