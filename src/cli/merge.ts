/**
 * `cai-lab merge OUT SHARD…`: shard files of one run joined into one file in index order, the
 * lines kept byte for byte. Refuses (writing nothing) when the shards come from different runs,
 * an index is there twice, or one is missing, naming them.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { CliError } from './errors';

interface Line {
  index: number;
  text: string;
  file: string;
}

/** Shows a long list of indexes as its first few, then how many more. */
export function listIndexes(indexes: readonly number[], shown = 20): string {
  const head = indexes.slice(0, shown).join(', ');
  return indexes.length > shown ? `${head} and ${indexes.length - shown} more` : head;
}

async function linesOf(file: string, runIds: Map<string, string>): Promise<Line[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`${file}: cannot be read (${error.code ?? error.message})`);
  });
  if (text.length && !text.endsWith('\n')) throw new CliError(`${file}: its last line is torn (the run was interrupted): rerun that shard to finish it, then merge`);
  const out: Line[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: { index?: unknown; run?: { id?: unknown } };
    try {
      row = JSON.parse(line) as typeof row;
    } catch (error) {
      throw new CliError(`${file}, line ${i + 1}: not JSON (${(error as Error).message})`);
    }
    const runId = row.run?.id;
    if (typeof row.index !== 'number' || typeof runId !== 'string') throw new CliError(`${file}, line ${i + 1}: not a full-trace line of cai-lab run (no index or run id)`);
    runIds.set(runId, runIds.get(runId) ?? file);
    out.push({ index: row.index, text: line, file });
  });
  return out;
}

export interface MergeOptions {
  out: string;
  shards: string[];
  /** Records the run has (from its spec); absent: every index up to the largest present. */
  total?: number;
  /** The run id the shards must have (from the spec). */
  runId?: string;
}

export async function mergeCommand(o: MergeOptions): Promise<{ records: number }> {
  const runIds = new Map<string, string>();
  const lines = (await Promise.all(o.shards.map((f) => linesOf(f, runIds)))).flat();
  if (runIds.size > 1) throw new CliError(`the shards come from different runs: ${[...runIds].map(([id, f]) => `${f} (${id})`).join(', ')}`);
  const [found] = runIds.keys();
  if (o.runId && found && found !== o.runId) throw new CliError(`the shards were made from another spec (run ${found}, the spec gives ${o.runId})`);
  const byIndex = new Map<number, Line[]>();
  for (const line of lines) byIndex.set(line.index, [...(byIndex.get(line.index) ?? []), line]);
  const total = o.total ?? Math.max(-1, ...byIndex.keys()) + 1;
  const twice = [...byIndex].filter(([, ls]) => ls.length > 1).map(([i]) => i).sort((a, b) => a - b);
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !byIndex.has(i));
  const beyond = [...byIndex.keys()].filter((i) => i >= total || i < 0).sort((a, b) => a - b);
  const problems: string[] = [];
  if (twice.length) problems.push(`index ${listIndexes(twice)} present more than once (${twice.slice(0, 3).map((i) => `${i} in ${byIndex.get(i)!.map((l) => l.file).join(' and ')}`).join('; ')})`);
  if (missing.length) problems.push(`index ${listIndexes(missing)} missing (of ${total})`);
  if (beyond.length) problems.push(`index ${listIndexes(beyond)} outside the run's ${total} records`);
  if (problems.length) throw new CliError(`cannot merge: ${problems.join('; ')}. Nothing was written.`);
  const text = [...byIndex.keys()].sort((a, b) => a - b).map((i) => `${byIndex.get(i)![0]!.text}\n`).join('');
  // Written beside, then renamed: a merge that dies midway leaves no half file under the name.
  await writeFile(`${o.out}.part`, text);
  await rename(`${o.out}.part`, o.out);
  return { records: byIndex.size };
}
