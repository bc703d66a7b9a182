/**
 * check_results.lateness: how late a check started, in two bytes (migration 0016). 0..32767 are
 * milliseconds; a negative value -n is n whole seconds, up to 32,768 s (≈ 9.1 h, where it
 * saturates). SQL reads it with perigee_lateness_ms(lateness).
 */
export function encodeLateness(ms: number): number {
  const m = Math.max(0, Math.round(ms));
  if (m <= 32767) return m;
  return -Math.min(32768, Math.round(m / 1000));
}

export function decodeLateness(code: number): number {
  return code < 0 ? -code * 1000 : code;
}
