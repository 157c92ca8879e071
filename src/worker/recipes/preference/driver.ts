import { judgePair, makeCandidates, type CandidateContext } from '../../../core/recipes/preference/make';
import type { CandidatePair, PreferenceSpec } from '../../../core/recipes/preference/types';
import { ownRecord, ownSpec } from '../../../core/recipes/index';
import type { Run } from '../../../core/run';
import { sameModel } from '../../../core/types';
import type { DriverContext, RecipeDriver } from '../driver';

function specOf(run: Run): PreferenceSpec {
  return ownSpec('preference', run);
}

/** Sampled candidates from a model other than the judge are all made first, so each model loads once. */
function separateCandidatePhase(spec: PreferenceSpec): boolean {
  return spec.source.kind === 'sampled' && !sameModel(spec.source.model, spec.judge.model);
}

async function candidateContext(ctx: DriverContext, spec: PreferenceSpec): Promise<CandidateContext> {
  const { source } = spec;
  return {
    runId: ctx.run.id,
    spec,
    signal: ctx.signal,
    onEvent: ctx.onEvent,
    engine: source.kind === 'sampled' ? await ctx.engineFor(source.model) : undefined,
    sourceRecord:
      source.kind === 'revision'
        ? async (i) => {
            const [record] = await ctx.store.readRecords(source.runId, i, 1);
            return ownRecord('critique-revision', record);
          }
        : undefined,
  };
}

async function candidatesAt(index: number, ctx: DriverContext, spec: PreferenceSpec): Promise<CandidatePair> {
  const stored = await ctx.store.readStage<CandidatePair>(ctx.run.id, index);
  if (stored) return stored;
  const pair = await makeCandidates(index, await candidateContext(ctx, spec));
  await ctx.store.saveStage(ctx.run.id, index, pair);
  return pair;
}

export const preferenceDriver: RecipeDriver = {
  async prepare(ctx) {
    const spec = specOf(ctx.run);
    if (!separateCandidatePhase(spec) || ctx.run.cursor >= spec.prompts.length) return;
    const total = spec.prompts.length;
    // Stages are written in index order, so their count is where the phase stopped.
    for (let index = await ctx.store.countStage(ctx.run.id); index < total; index++) {
      ctx.signal.throwIfAborted();
      await candidatesAt(index, ctx, spec);
      ctx.onPhase({ phase: 'candidates', done: index + 1, total });
    }
  },

  async makeRecord(index, ctx) {
    const spec = specOf(ctx.run);
    const pair = await candidatesAt(index, ctx, spec);
    const engine = await ctx.engineFor(spec.judge.model);
    return judgePair(index, pair, { runId: ctx.run.id, spec, signal: ctx.signal, onEvent: ctx.onEvent, engine });
  },
};
