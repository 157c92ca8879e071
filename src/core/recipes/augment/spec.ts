/**
 * Frozen specs of the two prompt-making recipes (self-instruct, back-translation), built from what
 * a form chose, and the prompt set a finished run turns into. Deep copies throughout: later edits
 * of the library never change what a run says it used.
 */
import type { BackTranslateSpec } from '../back-translate/types';
import type { SelfInstructSpec } from '../self-instruct/types';
import type { SimilarityMetric } from '../../similarity';
import { validateBackTranslateSpec } from '../back-translate/make';
import { validateSelfInstructSpec } from '../self-instruct/make';
import type { ModelRef, PromptSet, SamplingParams } from '../../types';

type PromptSource = Pick<PromptSet, 'id' | 'name' | 'prompts'>;

export const SELF_INSTRUCT_DEFAULTS = {
  steps: 5,
  perBatch: 8,
  seedsShown: 6,
  generatedShown: 2,
  metric: 'rouge-l' as SimilarityMetric,
  n: 2,
  threshold: 0.7,
  minChars: 10,
  maxChars: 1000,
  sampling: { temperature: 1, topP: 0.95, maxTokens: 512 } satisfies SamplingParams,
};

export const BACK_TRANSLATE_DEFAULTS = {
  sourceLanguage: 'English',
  metric: 'rouge-l' as SimilarityMetric,
  n: 2,
  low: 0.35,
  high: 0.9,
  sampling: { temperature: 0.3, topP: 0.9, maxTokens: 256 } satisfies SamplingParams,
};

/** Languages offered as pivots; any other can be typed in. */
export const PIVOT_LANGUAGES = [
  'French', 'German', 'Spanish', 'Italian', 'Portuguese', 'Dutch', 'Russian', 'Polish', 'Turkish',
  'Chinese', 'Japanese', 'Korean', 'Arabic', 'Hindi', 'Indonesian', 'Vietnamese', 'Swedish',
] as const;

/** Non-empty lines, trimmed, each kept once (case-insensitive). */
export function parseLines(text: string): string[] {
  return uniqueTrimmed(text.split(/\r?\n|\r/));
}

/** Chosen pivots plus free text (commas or lines), trimmed, each once whatever its case. */
export function parsePivots(chosen: readonly string[], free: string): string[] {
  return uniqueTrimmed([...chosen, ...free.split(/[,;\n]/)]);
}

function uniqueTrimmed(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of items) {
    const s = raw.trim();
    if (!s || seen.has(s.toLowerCase())) continue;
    seen.add(s.toLowerCase());
    out.push(s);
  }
  return out;
}

function checkSampling(sampling: SamplingParams): void {
  if (!(sampling.maxTokens >= 1)) throw new RangeError(`max tokens must be at least 1, got ${sampling.maxTokens}`);
  if (!(sampling.temperature >= 0 && sampling.temperature <= 2)) throw new RangeError(`temperature must be from 0 to 2, got ${sampling.temperature}`);
}

/** Jaccard n-gram size (undefined for ROUGE-L). */
function checkNgram(n: number | undefined): void {
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 5)) throw new RangeError(`n-gram size must be a whole number from 1 to 5, got ${n}`);
}

export interface SelfInstructChoices {
  model: ModelRef;
  /** The prompt set the seeds come from; `seedCount` of its prompts (from the start) are used. */
  seeds: PromptSource;
  seedCount?: number;
  topics: readonly string[];
  description: string;
  steps: number;
  perBatch: number;
  seedsShown?: number;
  generatedShown?: number;
  metric: SimilarityMetric;
  n?: number;
  threshold: number;
  minChars?: number;
  maxChars?: number;
  seed: number;
  sampling: SamplingParams;
}

export function selfInstructRunSpec(c: SelfInstructChoices): SelfInstructSpec {
  checkSampling(c.sampling);
  const d = SELF_INSTRUCT_DEFAULTS;
  const seeds = c.seeds.prompts.slice(0, c.seedCount ?? c.seeds.prompts.length);
  const spec: SelfInstructSpec = {
    recipe: 'self-instruct',
    model: structuredClone(c.model),
    sampling: { ...c.sampling },
    seed: Math.floor(c.seed) >>> 0,
    seeds: structuredClone(seeds),
    topics: uniqueTrimmed(c.topics),
    description: c.description.trim(),
    steps: c.steps,
    perBatch: c.perBatch,
    seedsShown: c.seedsShown ?? Math.min(d.seedsShown, Math.max(1, seeds.length)),
    generatedShown: c.generatedShown ?? d.generatedShown,
    similarity: { metric: c.metric, threshold: c.threshold, ...(c.metric === 'jaccard' ? { n: c.n ?? d.n } : {}) },
    minChars: c.minChars ?? d.minChars,
    maxChars: c.maxChars ?? d.maxChars,
  };
  checkNgram(spec.similarity.n);
  validateSelfInstructSpec(spec);
  return spec;
}

export interface BackTranslateChoices {
  model: ModelRef;
  promptSet: PromptSource;
  /** How many prompts of the set (from the start); all by default. */
  count?: number;
  sourceLanguage: string;
  pivots: readonly string[];
  metric: SimilarityMetric;
  n?: number;
  low: number;
  high: number;
  seed: number;
  sampling: SamplingParams;
}

export function backTranslateRunSpec(c: BackTranslateChoices): BackTranslateSpec {
  checkSampling(c.sampling);
  const prompts = c.promptSet.prompts.slice(0, c.count ?? c.promptSet.prompts.length);
  const spec: BackTranslateSpec = {
    recipe: 'back-translate',
    model: structuredClone(c.model),
    sampling: { ...c.sampling },
    seed: Math.floor(c.seed) >>> 0,
    sourceLanguage: c.sourceLanguage.trim() || BACK_TRANSLATE_DEFAULTS.sourceLanguage,
    pivots: uniqueTrimmed(c.pivots),
    prompts: structuredClone(prompts),
    promptSetId: c.promptSet.id,
    promptSetName: c.promptSet.name,
    similarity: { metric: c.metric, low: c.low, high: c.high, ...(c.metric === 'jaccard' ? { n: c.n ?? BACK_TRANSLATE_DEFAULTS.n } : {}) },
  };
  if (c.pivots.some((p) => p.trim() === '')) throw new RangeError('A pivot language has no name.');
  checkNgram(spec.similarity.n);
  validateBackTranslateSpec(spec);
  return spec;
}
