/** The frozen spec of an RLCD run, built from what its form chose. */
import type { Constitution, ModelRef, PromptSet, SamplingParams } from '../../types';
import { contrastOf } from './contrast';
import { validateRlcdSpec } from './make';
import type { RlcdSpec } from './types';

export const RLCD_DEFAULTS = { sampling: { temperature: 0.7, topP: 0.9, maxTokens: 256 } satisfies SamplingParams };

export interface RlcdChoices {
  model: ModelRef;
  constitution: Constitution;
  promptSet: Pick<PromptSet, 'id' | 'name' | 'prompts'>;
  seed: number;
  sampling: SamplingParams;
  judge: boolean;
  rawPrompt?: boolean;
}

export function rlcdRunSpec(c: RlcdChoices): RlcdSpec {
  const constitution = structuredClone(c.constitution);
  // The frozen copy says exactly which instructions were used, defaults included.
  constitution.principles = constitution.principles.map((p) => ({ ...p, contrast: { ...contrastOf(p) } }));
  const spec: RlcdSpec = {
    recipe: 'rlcd',
    model: structuredClone(c.model),
    sampling: { ...c.sampling },
    seed: Math.floor(c.seed) >>> 0,
    constitution: { ...constitution, fewShot: [] },
    promptSetId: c.promptSet.id,
    promptSetName: c.promptSet.name,
    prompts: structuredClone(c.promptSet.prompts),
    judge: c.judge ? { rawPrompt: c.rawPrompt ?? true } : null,
  };
  validateRlcdSpec(spec);
  return spec;
}
