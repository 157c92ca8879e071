/** The frozen spec of a Magpie run, built from what its form chose. */
import type { SimilarityMetric } from '../../similarity';
import type { ModelRef, PromptSet, SamplingParams } from '../../types';
import { validateMagpieSpec } from './make';
import type { MagpieSpec, TemplateChoice } from './types';

export const MAGPIE_DEFAULTS = {
  samples: 20,
  threshold: 0.7,
  minChars: 10,
  maxChars: 1000,
  sampling: { temperature: 1, topP: 1, maxTokens: 128 } satisfies SamplingParams,
  answerSampling: { temperature: 0.7, topP: 0.9, maxTokens: 256 } satisfies SamplingParams,
};

export interface MagpieChoices {
  model: ModelRef;
  template: TemplateChoice;
  samples: number;
  seed: number;
  sampling: SamplingParams;
  systemPrompt: string;
  topics: readonly string[];
  personas: readonly string[];
  stopAtLineBreak?: boolean;
  /** Answer sampling, when kept prompts should be answered. */
  answers: SamplingParams | null;
  metric: SimilarityMetric;
  n?: number;
  threshold: number;
  minChars?: number;
  maxChars?: number;
  reference: Pick<PromptSet, 'id' | 'name' | 'prompts'> | null;
}

function lines(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.map((s) => s.trim()).filter((s) => s && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()));
}

export function magpieRunSpec(c: MagpieChoices): MagpieSpec {
  const spec: MagpieSpec = {
    recipe: 'magpie',
    model: structuredClone(c.model),
    sampling: { ...c.sampling },
    seed: Math.floor(c.seed) >>> 0,
    samples: c.samples,
    template: structuredClone(c.template),
    systemPrompt: c.systemPrompt.trim(),
    topics: lines(c.topics),
    personas: lines(c.personas),
    ...(c.stopAtLineBreak ? { stopAtLineBreak: true } : {}),
    answers: c.answers ? { sampling: { ...c.answers } } : null,
    similarity: { metric: c.metric, threshold: c.threshold, ...(c.metric === 'jaccard' ? { n: c.n ?? 2 } : {}) },
    minChars: c.minChars ?? MAGPIE_DEFAULTS.minChars,
    maxChars: c.maxChars ?? MAGPIE_DEFAULTS.maxChars,
    reference: c.reference ? { setId: c.reference.id, name: c.reference.name, prompts: structuredClone(c.reference.prompts) } : null,
  };
  validateMagpieSpec(spec);
  return spec;
}
