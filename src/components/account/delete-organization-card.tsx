/** "Delete this organization" with a 7-day undo, for ADMINs (issue 13). */
export function DeleteOrganizationCard() {
  return null;
}
