import { ownRecords, ownSpec } from '../../../core/recipes/index';
import { acceptedSoFar, selfInstructStep } from '../../../core/recipes/self-instruct/make';
import type { RecipeDriver } from '../driver';

export const selfInstructDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = ownSpec('self-instruct', ctx.run);
    // Each batch is filtered against everything kept before it, read back from the durable log.
    const earlier = ownRecords('self-instruct', await ctx.store.readRecords(ctx.run.id, 0, index));
    const engine = await ctx.engineFor(spec.model);
    return selfInstructStep(index, { runId: ctx.run.id, engine, spec, accepted: acceptedSoFar(earlier), signal: ctx.signal, onEvent: ctx.onEvent });
  },
};
