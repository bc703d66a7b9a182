/** "Export my data" (issue 13). */
export function ExportCard() {
  return null;
}
