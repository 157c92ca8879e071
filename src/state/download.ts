import { toJsonLines } from '../core/formats/jsonl';
import { sftRows, traceRows } from '../core/formats/sft';
import type { Run } from '../core/types';
import { CHUNK_SIZE, readRecords } from '../storage';

export type ExportKind = 'sft' | 'trace';

/**
 * Builds the file from chunk-sized pieces of JSONL, so no single giant string is ever made;
 * the Blob keeps the pieces as they are.
 */
export async function exportRun(run: Run, kind: ExportKind): Promise<Blob> {
  const parts: string[] = [];
  for (let offset = 0; offset < run.recordCount; offset += CHUNK_SIZE) {
    const records = await readRecords(run.id, offset, CHUNK_SIZE);
    parts.push(toJsonLines(kind === 'sft' ? sftRows(records) : traceRows(run, records)));
  }
  return new Blob(parts, { type: 'application/jsonl' });
}

export function fileName(run: Run, kind: ExportKind): string {
  const safe = run.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'run';
  return `${safe}.${kind}.jsonl`;
}

export async function downloadRun(run: Run, kind: ExportKind): Promise<void> {
  const url = URL.createObjectURL(await exportRun(run, kind));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName(run, kind);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
