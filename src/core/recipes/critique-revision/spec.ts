/** The frozen spec of a critique → revision run, built from what its form chose. */
import type { Constitution, ModelRef, PromptSet, SamplingParams } from '../../types';
import type { CritiqueRevisionSpec } from './types';
import type { ContextFitRecord } from './context-fit';

export const ROUNDS_MIN = 1;
export const ROUNDS_MAX = 4;

export const defaultSampling: SamplingParams = { temperature: 0.7, topP: 0.9, maxTokens: 256 };

export interface CritiqueRunChoices {
  model: ModelRef;
  constitution: Constitution;
  promptSet: Pick<PromptSet, 'id' | 'name' | 'prompts'>;
  rounds: number;
  seed: number;
  sampling: SamplingParams;
  /** How many of the constitution's few-shot examples to prepend (small models have small contexts). */
  fewShot: number;
  /** The context check's result; its `fewShotUsed` replaces `fewShot` (examples trimmed to fit). */
  contextFit?: ContextFitRecord;
}

/** The frozen spec a run keeps: deep copies, so later edits of the library never change it. */
export function critiqueRunSpec(choices: CritiqueRunChoices): CritiqueRevisionSpec {
  const { rounds, seed, sampling, contextFit } = choices;
  const fewShot = contextFit ? Math.min(choices.fewShot, contextFit.fewShotUsed) : choices.fewShot;
  if (!Number.isInteger(rounds) || rounds < ROUNDS_MIN || rounds > ROUNDS_MAX) {
    throw new RangeError(`rounds must be a whole number from ${ROUNDS_MIN} to ${ROUNDS_MAX}, got ${rounds}`);
  }
  if (choices.promptSet.prompts.length === 0) throw new Error('There are no prompts to run.');
  if (!choices.constitution.principles.some((p) => p.enabled)) {
    throw new Error(`Constitution "${choices.constitution.name}" has no enabled principle.`);
  }
  if (!(sampling.maxTokens >= 1)) throw new RangeError(`max tokens must be at least 1, got ${sampling.maxTokens}`);
  return {
    recipe: 'critique-revision',
    model: structuredClone(choices.model),
    sampling: { ...sampling },
    seed: Math.floor(seed) >>> 0,
    rounds,
    constitution: { ...structuredClone(choices.constitution), fewShot: structuredClone(choices.constitution.fewShot.slice(0, Math.max(0, fewShot))) },
    promptSetId: choices.promptSet.id,
    promptSetName: choices.promptSet.name,
    prompts: structuredClone(choices.promptSet.prompts),
    ...(contextFit ? { contextFit: { ...contextFit } } : {}),
  };
}
