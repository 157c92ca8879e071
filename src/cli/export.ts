/**
 * `cai-lab export RUN.jsonl --format F --out FILE`: the file the Datasets tab writes for that
 * format after importing RUN.jsonl. The trace is read through the page's import code and the
 * rows come from core/datasets/export-plan, the functions the page's export uses.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { datasetRun, renumber, sourceOfTrace } from '../core/datasets/combine';
import { formatsFor, serialiseRows, type ExportFormat } from '../core/datasets/export-plan';
import { DatasetImporter } from '../core/formats/dataset-import';
import { EXPORT_FORMAT_IDS } from '../core/formats/table';
import type { RecipeId } from '../core/recipes/recipe';
import type { Run, RunRecord } from '../core/run';
import { CliError, usageError } from './errors';
import { basename } from 'node:path';

export interface ExportOptions {
  input: string;
  format: string;
  out: string;
}

/** The dataset the page would hold after importing `file`: its run and its records. */
export async function importedDataset(file: string): Promise<{ run: Run; records: RunRecord[]; recipes: RecipeId[] }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`${file}: cannot be read (${error.code ?? error.message})`);
  });
  const runId = `import-${basename(file)}`;
  const importer = new DatasetImporter({ runId, now: 0 });
  for (const line of text.split('\n')) importer.addLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  const result = importer.result();
  const bad = result.errors[0];
  if (bad) throw new CliError(`${file}, line ${bad.line}: ${bad.message}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more bad lines)` : ''}`);
  if (!result.format || result.records.length === 0) throw new CliError(`${file}: holds no records`);
  const records = renumber(result.records, runId);
  const sources = result.runs.map(sourceOfTrace);
  const run = datasetRun({ id: runId, name: basename(file).replace(/\.jsonl$/, ''), format: result.format, fileName: basename(file), records: records.length, sources, now: 0 });
  return { run, records, recipes: [...new Set(records.map((r) => r.recipe))] as RecipeId[] };
}

export async function exportCommand(o: ExportOptions): Promise<{ rows: number }> {
  if (!(EXPORT_FORMAT_IDS as string[]).includes(o.format)) throw usageError(`--format "${o.format}": expected one of ${EXPORT_FORMAT_IDS.join(', ')}`);
  const format = o.format as ExportFormat;
  const { run, records, recipes } = await importedDataset(o.input);
  const fit = formatsFor(new Set(recipes));
  if (!fit.includes(format)) throw new CliError(`--format ${format}: ${o.input} holds ${recipes.join(', ')} records, which have no ${format} rows; this file fits ${fit.join(', ')}`);
  const { chunks, rows } = serialiseRows(format, run, records, 'train', null, undefined, { recipes });
  await writeFile(`${o.out}.part`, chunks.join(''));
  await rename(`${o.out}.part`, o.out);
  return { rows };
}
