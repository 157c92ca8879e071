import { backTranslateStep } from '../../../core/recipes/back-translate/make';
import { ownSpec } from '../../../core/recipes/index';
import type { RecipeDriver } from '../driver';

export const backTranslateDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ownSpec('back-translate', ctx.run);
    const engine = await ctx.engineFor(spec.model);
    return backTranslateStep(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
  },
};
