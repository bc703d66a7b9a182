/**
 * Tells the snapshot builders that pages changed. Call after the change committed. Either
 * pass the pages, or the monitors whose state changed (every page showing them is rebuilt),
 * or an organization (all its pages). Implemented in status/snapshot.ts's cache.
 */
export async function invalidateStatusPages(sel: { pageIds?: string[]; monitorIds?: string[]; organizationId?: string }): Promise<void> {
  void sel; // filled in by the snapshot cache (issue 11, part A)
}
