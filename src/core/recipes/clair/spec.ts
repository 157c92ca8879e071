/** The frozen spec of a CLAIR run, built from what its form chose. */
import type { Constitution, ModelRef, PromptSet, SamplingParams } from '../../types';
import { validateClairSpec } from './make';
import type { ClairSpec } from './types';

export const CLAIR_DEFAULTS = {
  minDistance: 0.02,
  maxDistance: 0.7,
  baseline: true,
  sampling: { temperature: 0.7, topP: 0.9, maxTokens: 256 } satisfies SamplingParams,
};

export interface ClairChoices {
  model: ModelRef;
  constitution: Constitution;
  promptSet: Pick<PromptSet, 'id' | 'name' | 'prompts'>;
  seed: number;
  sampling: SamplingParams;
  minDistance: number;
  maxDistance: number;
  baseline: boolean;
}

export function clairRunSpec(c: ClairChoices): ClairSpec {
  const spec: ClairSpec = {
    recipe: 'clair',
    model: structuredClone(c.model),
    sampling: { ...c.sampling },
    seed: Math.floor(c.seed) >>> 0,
    constitution: { ...structuredClone(c.constitution), fewShot: [] },
    promptSetId: c.promptSet.id,
    promptSetName: c.promptSet.name,
    prompts: structuredClone(c.promptSet.prompts),
    minDistance: c.minDistance,
    maxDistance: c.maxDistance,
    baseline: c.baseline,
  };
  validateClairSpec(spec);
  return spec;
}
