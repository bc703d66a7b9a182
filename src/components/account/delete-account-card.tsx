/** "Delete my account" with a 7-day undo (issue 13). */
export function DeleteAccountCard() {
  return null;
}
