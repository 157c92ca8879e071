import { critiqueRevise } from '../../core/recipes/critique-revision';
import type { RecipeDriver } from './index';

export const critiqueRevisionDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ctx.run.spec;
    if (spec.recipe !== 'critique-revision') throw new Error(`run ${ctx.run.id} is not a critique-revision run`);
    const engine = await ctx.engineFor(spec.model);
    return critiqueRevise(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
  },
};
