/**
 * `cai-lab run`: the page's recipes (core/ and the worker's drivers, not a copy) over OpenAI-
 * compatible servers, K records in flight, each batch appended to the output file in index order.
 * The file is the run's state: a rerun with the same spec and --out skips what it holds and redoes
 * at most K records, so a killed run loses and duplicates nothing.
 */
import { createHash } from 'node:crypto';
import { isInputTooLong, toUserError } from '../core/errors';
import { flightSize, leasingEngines, runInFlight } from '../core/in-flight';
import { assertUsablePrompts } from '../core/prompt-check';
import { recipeOfRun, runItemText, runModels, runTotal } from '../core/recipes/index';
import type { Run, RunRecord, RunSpec } from '../core/run';
import { SCHEMA_VERSION } from '../core/types';
import { driverFor, type DriverContext, type RecipeDriver } from '../worker/recipes/index';
import { CliEngines, type ServerChoice } from './engines';
import { CliError, usageError } from './errors';
import { FileRunStore } from './file-store';
import { OutWriter, readOwnOutput } from './out-file';
import { progressLine } from './progress';
import { inShard, type Shard } from './shard';

export interface RunOptions extends ServerChoice {
  name: string;
  spec: RunSpec;
  out: string;
  /** Records in flight; absent: the servers' slots. */
  concurrency?: number;
  shard: Shard;
  quiet?: boolean;
  signal: AbortSignal;
  log(line: string): void;
}

export interface RunSummary {
  made: number;
  /** Tokens generated for the records made now, and the time making them took (after connecting). */
  tokens: number;
  ms: number;
  skipped: number;
  total: number;
  cut: number;
}

/** The same spec gives the same run id on every node, so shards merge into one run. */
export function runIdOf(name: string, spec: RunSpec): string {
  return `cli-${createHash('sha256').update(JSON.stringify({ name, spec })).digest('hex').slice(0, 16)}`;
}

function newRun(o: RunOptions, stored: readonly RunRecord[]): Run {
  const now = Date.now();
  const stats = { promptTokens: 0, completionTokens: 0, generationMs: 0 };
  for (const r of stored) (stats.promptTokens += r.usage.promptTokens, (stats.completionTokens += r.usage.completionTokens), (stats.generationMs += r.usage.ms));
  const id = runIdOf(o.name, o.spec);
  return { schemaVersion: SCHEMA_VERSION, id, name: o.name, spec: o.spec, status: 'running', cursor: 0, recordCount: stored.length, stats, createdAt: now, updatedAt: now };
}

/** One record on its own lease (one server for all its turns); a prompt over the context is recorded as such. */
async function makeOne(driver: RecipeDriver, index: number, ctx: DriverContext): Promise<RunRecord> {
  const engines = leasingEngines(ctx.engineFor);
  const own = { ...ctx, engineFor: engines.engineFor };
  try {
    return await driver.makeRecord(index, own).catch((error: unknown) => {
      if (isInputTooLong(error) && driver.failedRecord) return driver.failedRecord(index, own, toUserError(error).message);
      throw error;
    });
  } finally {
    engines.release();
  }
}

function checkSpec(o: RunOptions): void {
  const recipe = recipeOfRun(o.spec);
  if (!recipe) throw new CliError(`the spec's recipe "${o.spec.recipe}" makes no records`);
  // Those read the records before them, which another shard holds.
  if (recipe.sequential && o.shard.n > 1) throw usageError(`--shard: ${recipe.id} makes its records one after another (each reads the ones before), so it cannot be split into shards`);
  try {
    assertUsablePrompts(runTotal(o.spec), (i) => runItemText(o.spec, i));
  } catch (error) {
    throw new CliError(`the spec's prompts: ${(error as Error).message}`);
  }
}

export async function runCommand(o: RunOptions): Promise<RunSummary> {
  checkSpec(o);
  const recipe = recipeOfRun(o.spec)!;
  const id = runIdOf(o.name, o.spec);
  const back = await readOwnOutput(o.out, id);
  if (back.cut) o.log(`${o.out}: cut a torn last line (${back.cut} bytes) left by an interrupted write; that record is made again`);
  let run = newRun(o, back.records);
  const engines = new CliEngines(o);
  const [first] = await engines.check(runModels(o.spec));
  const total = runTotal(o.spec);
  const stored = new Set(back.records.map((r) => r.index));
  const indexes = Array.from({ length: total }, (_, i) => i).filter((i) => inShard(i, o.shard) && !stored.has(i));
  const mine = Array.from({ length: total }, (_, i) => i).filter((i) => inShard(i, o.shard)).length;
  const store = await FileRunStore.open(id, o.out, back.records);
  const writer = await OutWriter.open(o.out, run, [recipe.id]);
  const progress = progressLine(o.quiet === true);
  const inFlight = new Set<number>();
  const driver = driverFor(run);
  const started = performance.now();
  let tokens = 0;
  const ctx: DriverContext = {
    store, run, signal: o.signal, engineFor: engines.engineFor,
    onEvent: () => undefined,
    onPhase: (p) => progress.phase(p.phase, p.done, p.total),
  };
  try {
    await driver.prepare?.(ctx);
    progress.start(mine, mine - indexes.length);
    const k = recipe.sequential ? 1 : flightSize(first!, o.concurrency, false);
    await runInFlight({
      indexes,
      concurrency: k,
      signal: o.signal,
      onStart: (index) => inFlight.add(index),
      make: (index, signal) => makeOne(driver, index, { ...ctx, run, signal }).finally(() => inFlight.delete(index)),
      commit: async (batch) => {
        await writer.append(batch); // durable first…
        store.add(batch); // …then readable by later records
        run = { ...run, recordCount: run.recordCount + batch.length };
        const added = batch.reduce((n, r) => n + r.usage.completionTokens, 0);
        tokens += added;
        progress.committed(batch.length, added, inFlight.size);
      },
    });
  } catch (error) {
    if (error instanceof CliError) throw error;
    // A server that went away or kept failing: say so, and that nothing finished is lost.
    throw new CliError(`${(error as Error)?.message ?? String(error)}\nWhat was finished is stored in ${o.out}; run the same command again to resume.`);
  } finally {
    progress.stop();
    await writer.close();
  }
  return { made: indexes.length, tokens, ms: performance.now() - started, skipped: mine - indexes.length, total: mine, cut: back.cut };
}
