/** Each retention that applies to the organization (issue 13). */
export async function RetentionCard(_props: { organizationId: string }) {
  return null;
}
