import { ownRecords, ownSpec } from '../../../core/recipes/index';
import { magpieSample } from '../../../core/recipes/magpie/make';
import type { RecipeDriver, RunStore } from '../driver';

/**
 * Prompts kept so far, by run: each sample is filtered against all of them. Read back from the
 * durable log once per run session, then extended as samples are made (a redone sample replaces its entry).
 */
const kept = new Map<string, (string | null)[]>();

async function keptBefore(store: RunStore, runId: string, index: number): Promise<string[]> {
  let list = kept.get(runId);
  if (!list || list.length < index) {
    list = [];
    for (const r of ownRecords('magpie', await store.readRecords(runId, 0, index))) list[r.index] = r.drop ? null : r.prompt;
    kept.set(runId, list);
  }
  return list.slice(0, index).filter((t): t is string => t != null);
}

export const magpieDriver: RecipeDriver = {
  // Each start or resume reads the kept prompts back from the log: the log, not memory, is the truth.
  async prepare(ctx) {
    kept.delete(ctx.run.id);
  },

  async makeRecord(index, ctx) {
    const spec = ownSpec('magpie', ctx.run);
    const accepted = await keptBefore(ctx.store, ctx.run.id, index);
    const engine = await ctx.engineFor(spec.model);
    const record = await magpieSample(index, { runId: ctx.run.id, engine, spec, accepted, signal: ctx.signal, onEvent: ctx.onEvent });
    const list = kept.get(ctx.run.id) ?? [];
    list.length = index;
    list[index] = record.drop ? null : record.prompt;
    kept.set(ctx.run.id, list);
    return record;
  },
};
