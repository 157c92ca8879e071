/** Offers text to the user as a downloaded file (nothing leaves the machine). */
export function downloadText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a user's title: letters, digits, dots, dashes and underscores only. */
export function safeFileName(title: string, suffix: string): string {
  const base = title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'untitled';
  return `${base}${suffix}`;
}
