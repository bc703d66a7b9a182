/**
 * Daily retention: results, rollups, incidents and events past each organization's plan
 * retention, the audit log past AUDIT_RETENTION_DAYS, check_failures trimmed. Built in issue 13.
 */
export async function runRetention(): Promise<Record<string, number>> {
  return {};
}
