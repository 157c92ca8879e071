import { checkPair } from '../../../core/recipes/judge-check/make';
import { ownSpec } from '../../../core/recipes/index';
import type { RecipeDriver } from '../driver';

/** The labelled pairs are in the spec, so each record is one judged pair: nothing to prepare. */
export const judgeCheckDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ownSpec('judge-check', ctx.run);
    const engine = await ctx.engineFor(spec.judge.model);
    return checkPair(index, { runId: ctx.run.id, spec, signal: ctx.signal, onEvent: ctx.onEvent, engine });
  },
};
