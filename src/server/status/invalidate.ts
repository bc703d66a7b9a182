import { log } from "../log";
import { markStale, pagesOf, rebuildPage } from "./cache";

/** Pages rebuilt at once by the caller; more are left to the worker's statusSnapshots job. */
const REBUILD_NOW = 20;

/**
 * Tells the snapshot builders that pages changed. Call after the change committed. Either
 * pass the pages, or the monitors whose state changed (every page showing them is rebuilt),
 * or an organization (all its pages). The pages are marked stale (the worker rebuilds them
 * within ~2 s) and rebuilt right away in this process, best effort: it never throws, so a
 * committed change is never reported as failed because a cache could not be refreshed.
 */
export async function invalidateStatusPages(sel: { pageIds?: string[]; monitorIds?: string[]; organizationId?: string }): Promise<void> {
  try {
    const ids = await pagesOf(sel);
    if (ids.length === 0) return;
    await markStale(ids);
    await Promise.all(ids.slice(0, REBUILD_NOW).map((id) => rebuildPage(id)));
  } catch (err) {
    log.warn("status pages: invalidation incomplete (the worker retries)", { err: (err as Error).message });
  }
}
