/**
 * File names made from names people type (runs, datasets, constitutions). Browsers and file
 * systems disagree on which characters a name may hold, so only a portable few are kept and
 * every other run of characters becomes one dash.
 */
export function fileStem(name: string, fallback = 'untitled'): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || fallback;
}
