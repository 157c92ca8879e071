/** JSON Lines: one JSON value per line, no trailing separators; parse errors name the line. */
export function toJsonLines(rows: Iterable<unknown>): string {
  let out = '';
  for (const row of rows) out += JSON.stringify(row) + '\n';
  return out;
}

export interface JsonlLineError {
  line: number;
  message: string;
}

export function parseJsonLines(text: string): { rows: unknown[]; errors: JsonlLineError[] } {
  const rows: unknown[] = [];
  const errors: JsonlLineError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch (e) {
      errors.push({ line: i + 1, message: (e as Error).message });
    }
  });
  return { rows, errors };
}
