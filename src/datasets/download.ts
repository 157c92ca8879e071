import { toJsonLines } from '../core/formats/jsonl';
import { ktoRows, preferenceRows, revisionPairs } from '../core/formats/preference';
import { sftRows } from '../core/formats/sft';
import { traceRows } from '../core/formats/trace';
import { ownRecords } from '../core/recipes/index';
import type { Run, RunRecord } from '../core/run';
import { CHUNK_SIZE, readRecords } from '../storage';

export type ExportKind = 'sft' | 'revision-pairs' | 'preference' | 'kto' | 'trace';

const LABELS: Record<ExportKind, string> = {
  sft: 'SFT JSONL',
  'revision-pairs': 'Revision-vs-initial pairs JSONL',
  preference: 'Preference JSONL (TRL)',
  kto: 'KTO JSONL',
  trace: 'Trace JSONL',
};

/** The downloads that make sense for a run's recipe. */
export function exportsFor(run: Run): { id: ExportKind; label: string }[] {
  const recipe = run.spec.recipe;
  // Prompt-making runs become prompt sets ("Save as prompt set"); their download is the trace.
  const kinds: ExportKind[] =
    recipe === 'critique-revision' ? ['sft', 'revision-pairs', 'trace'] : recipe === 'preference' ? ['preference', 'kto', 'trace'] : ['trace'];
  return kinds.map((id) => ({ id, label: LABELS[id] }));
}

function rowsOf(run: Run, records: RunRecord[], kind: ExportKind): Iterable<unknown> {
  const critique = ownRecords('critique-revision', records);
  const preference = ownRecords('preference', records);
  switch (kind) {
    case 'sft':
      return sftRows(critique);
    case 'revision-pairs':
      return revisionPairs(critique);
    case 'preference':
      return preferenceRows(preference);
    case 'kto':
      return ktoRows(preference);
    case 'trace':
      return traceRows(run, records);
  }
}

/**
 * Builds the file from chunk-sized pieces of JSONL, so no single giant string is ever made;
 * the Blob keeps the pieces as they are.
 */
export async function exportRun(run: Run, kind: ExportKind): Promise<Blob> {
  const parts: string[] = [];
  for (let offset = 0; offset < run.recordCount; offset += CHUNK_SIZE) {
    const records = await readRecords(run.id, offset, CHUNK_SIZE);
    parts.push(toJsonLines(rowsOf(run, records, kind)));
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
