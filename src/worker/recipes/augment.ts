import { backTranslateStep } from '../../core/recipes/back-translate';
import { acceptedSoFar, selfInstructStep } from '../../core/recipes/self-instruct';
import { isSelfInstructRecord, type Run } from '../../core/types';
import type { BackTranslateSpec, SelfInstructSpec } from '../../core/augment-types';
import { readRecords } from '../../storage/records';
import type { RecipeDriver } from './index';

function selfInstructSpec(run: Run): SelfInstructSpec {
  if (run.spec.recipe !== 'self-instruct') throw new Error(`run ${run.id} is not a self-instruct run`);
  return run.spec;
}

function backTranslateSpec(run: Run): BackTranslateSpec {
  if (run.spec.recipe !== 'back-translate') throw new Error(`run ${run.id} is not a back-translation run`);
  return run.spec;
}

export const selfInstructDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = selfInstructSpec(ctx.run);
    // Each batch is filtered against everything kept before it, read back from the durable log.
    const earlier = (await readRecords(ctx.run.id, 0, index)).filter(isSelfInstructRecord);
    const engine = await ctx.engineFor(spec.model);
    return selfInstructStep(index, { runId: ctx.run.id, engine, spec, accepted: acceptedSoFar(earlier), signal: ctx.signal, onEvent: ctx.onEvent });
  },
};

export const backTranslateDriver: RecipeDriver = {
  async makeRecord(index, ctx) {
    const spec = backTranslateSpec(ctx.run);
    const engine = await ctx.engineFor(spec.model);
    return backTranslateStep(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
  },
};
