/** One labelled pair judged exactly as a preference run judges (core/recipes/preference/make.ts). */
import type { Engine } from '../../engine';
import { judgePair, makeCandidates, type PreferenceEvent } from '../preference/make';
import { asPreferenceSpec } from './spec';
import type { JudgeCheckRecord, JudgeCheckSpec } from './types';

export interface CheckContext {
  runId: string;
  spec: JudgeCheckSpec;
  engine: Engine;
  signal?: AbortSignal;
  onEvent?: (event: PreferenceEvent) => void;
  now?: () => number;
}

export async function checkPair(index: number, ctx: CheckContext): Promise<JudgeCheckRecord> {
  const labelled = ctx.spec.source.pairs[index];
  if (!labelled) throw new RangeError(`pair ${index} is outside the check (${ctx.spec.source.pairs.length} pairs)`);
  const phase = { ...ctx, spec: asPreferenceSpec(ctx.spec) };
  const pair = await makeCandidates(index, phase);
  const { recipe: _recipe, ...judged } = await judgePair(index, pair, phase);
  return { ...judged, recipe: 'judge-check', humanBetter: labelled.better };
}
