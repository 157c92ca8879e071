import { ownSpec } from '../../../core/recipes/index';
import { rlcdPair } from '../../../core/recipes/rlcd/make';
import type { RlcdRecord } from '../../../core/recipes/rlcd/types';
import { SCHEMA_VERSION } from '../../../core/types';
import type { RecipeDriver } from '../driver';

export const rlcdDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ownSpec('rlcd', ctx.run);
    const engine = await ctx.engineFor(spec.model);
    return rlcdPair(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
  },

  failedRecord(index, ctx, reason): RlcdRecord {
    const item = ownSpec('rlcd', ctx.run).prompts[index];
    return {
      schemaVersion: SCHEMA_VERSION,
      id: `${ctx.run.id}:${index}`,
      runId: ctx.run.id,
      recipe: 'rlcd',
      index,
      promptId: item?.id ?? String(index),
      prompt: item?.text ?? '',
      principleId: '',
      principleName: '',
      positiveInstruction: '',
      negativeInstruction: '',
      positive: '',
      positiveFinish: 'stop',
      negative: '',
      negativeFinish: 'stop',
      usage: { promptTokens: 0, completionTokens: 0, ms: 0 },
      error: reason,
      createdAt: Date.now(),
    };
  },
};
