import { critiqueRevise } from '../../../core/recipes/critique-revision/make';
import { SCHEMA_VERSION } from '../../../core/types';
import type { CritiqueRecord } from '../../../core/recipes/critique-revision/types';
import { ownSpec } from '../../../core/recipes/index';
import type { RecipeDriver } from '../driver';

export const critiqueRevisionDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ownSpec('critique-revision', ctx.run);
    const engine = await ctx.engineFor(spec.model);
    return critiqueRevise(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
  },

  failedRecord(index, ctx, reason): CritiqueRecord {
    const item = ownSpec('critique-revision', ctx.run).prompts[index];
    return {
      schemaVersion: SCHEMA_VERSION,
      id: `${ctx.run.id}:${index}`,
      runId: ctx.run.id,
      recipe: 'critique-revision',
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
