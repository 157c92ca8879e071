/**
 * The one way the app hands a file to the browser's downloads: a link to a Blob, clicked. Nothing
 * leaves the machine. The URL is revoked a while later rather than at once, because the browser
 * may still be reading a large Blob when the click returns.
 */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
