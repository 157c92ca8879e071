import { critiqueRevise } from '../../core/recipes/critique-revision';
import { SCHEMA_VERSION, type CritiqueRecord } from '../../core/types';
import type { RecipeDriver } from './index';

export const critiqueRevisionDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ctx.run.spec;
    if (spec.recipe !== 'critique-revision') throw new Error(`run ${ctx.run.id} is not a critique-revision run`);
    const engine = await ctx.engineFor(spec.model);
    return critiqueRevise(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
  },

  failedRecord(index, ctx, reason): CritiqueRecord {
    const spec = ctx.run.spec;
    const item = spec.recipe === 'critique-revision' ? spec.prompts[index] : undefined;
    return {
      schemaVersion: SCHEMA_VERSION,
      id: `${ctx.run.id}:${index}`,
      runId: ctx.run.id,
      index,
      promptId: item?.id ?? String(index),
      prompt: item?.text ?? '',
      initial: '',
      initialFinish: 'stop',
      rounds: [],
      final: '',
      usage: { promptTokens: 0, completionTokens: 0, ms: 0 },
      error: reason,
      createdAt: Date.now(),
    };
  },
};
