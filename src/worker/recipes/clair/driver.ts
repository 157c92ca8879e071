import { clairPair } from '../../../core/recipes/clair/make';
import type { ClairRecord } from '../../../core/recipes/clair/types';
import { ownSpec } from '../../../core/recipes/index';
import { SCHEMA_VERSION } from '../../../core/types';
import type { RecipeDriver } from '../driver';

export const clairDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ownSpec('clair', ctx.run);
    const engine = await ctx.engineFor(spec.model);
    return clairPair(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
  },

  failedRecord(index, ctx, reason): ClairRecord {
    const item = ownSpec('clair', ctx.run).prompts[index];
    return {
      schemaVersion: SCHEMA_VERSION,
      id: `${ctx.run.id}:${index}`,
      runId: ctx.run.id,
      recipe: 'clair',
      index,
      promptId: item?.id ?? String(index),
      prompt: item?.text ?? '',
      principleId: '',
      principleName: '',
      answer: '',
      answerFinish: 'stop',
      revisionRequest: '',
      revision: '',
      revisionFinish: 'stop',
      distance: 0,
      usage: { promptTokens: 0, completionTokens: 0, ms: 0 },
      error: reason,
      createdAt: Date.now(),
    };
  },
};
