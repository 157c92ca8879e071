/**
 * The run's output file: full-trace JSONL, one record per line, appended in index order (or in
 * shard order). It is also the run's only state: a rerun reads it back to learn what is done.
 * Lines are read through the page's own import code (core/formats/dataset-import), so a file
 * this command can resume from is one the Datasets tab can import.
 */
import { open, readFile, stat, truncate } from 'node:fs/promises';
import { DatasetImporter } from '../core/formats/dataset-import';
import { toJsonLines } from '../core/formats/jsonl';
import { traceRows } from '../core/formats/trace';
import type { RecipeId } from '../core/recipes/recipe';
import type { Run, RunRecord } from '../core/run';
import { CliError } from './errors';

export interface ReadBack {
  records: RunRecord[];
  /** Bytes of a torn last line that were cut off (a write interrupted by a crash). */
  cut: number;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/**
 * The records already in `file` (none when it does not exist). A last line without its newline
 * was being written when the process died: it is cut from the file. Any other bad line, or a line
 * of another run, is an error naming the line: nothing is overwritten.
 */
export async function readOwnOutput(file: string, runId: string): Promise<ReadBack> {
  if (!(await exists(file))) return { records: [], cut: 0 };
  const text = await readFile(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const cut = Buffer.byteLength(text.slice(end));
  if (cut > 0) await truncate(file, Buffer.byteLength(text.slice(0, end)));
  const importer = new DatasetImporter({ runId });
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  for (const line of lines) importer.addLine(line);
  const result = importer.result();
  const bad = result.errors[0];
  if (bad) throw new CliError(`${file}, line ${bad.line}: ${bad.message} (not this command's output? choose another --out)`);
  if (result.records.length && result.format !== 'trace') throw new CliError(`${file}: not a full-trace file written by cai-lab run; choose another --out`);
  const other = result.runs.find((r) => r.id !== runId);
  if (other) throw new CliError(`${file} holds records of another run ("${other.name}", id ${other.id}): choose another --out, or run that spec`);
  const seen = new Set<number>();
  for (const r of result.records) {
    if (seen.has(r.index)) throw new CliError(`${file}: index ${r.index} is stored twice`);
    seen.add(r.index);
  }
  return { records: result.records.sort((a, b) => a.index - b.index), cut };
}

/** Appends records as trace lines, each batch with one write and a sync before it counts as stored. */
export class OutWriter {
  private constructor(private readonly handle: Awaited<ReturnType<typeof open>>, private readonly run: Run, private readonly recipes: RecipeId[]) {}

  static async open(file: string, run: Run, recipes: RecipeId[]): Promise<OutWriter> {
    return new OutWriter(await open(file, 'a'), run, recipes);
  }

  async append(records: readonly RunRecord[]): Promise<void> {
    await this.handle.write(toJsonLines(traceRows(this.run, records, this.recipes)));
    await this.handle.datasync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
