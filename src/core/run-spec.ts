import type { Constitution, CritiqueRecord, CritiqueRevisionSpec, ModelRef, PromptItem, PromptSet, SamplingParams } from './types';
import type { CandidateSource, ImportedPair, JudgeSettings, PreferenceSpec } from './preference-types';
import { checkPreferenceSpec } from './recipes/preference';

export const ROUNDS_MIN = 1;
export const ROUNDS_MAX = 4;

export const defaultSampling: SamplingParams = { temperature: 0.7, topP: 0.9, maxTokens: 256 };

/** Prompts pasted one per line: blank lines dropped, exact duplicates kept once. */
export function parsePastedPrompts(text: string): PromptItem[] {
  const seen = new Set<string>();
  const prompts: PromptItem[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || seen.has(line)) continue;
    seen.add(line);
    prompts.push({ id: `pasted-${prompts.length + 1}`, text: line, source: 'pasted' });
  }
  return prompts;
}

export interface CritiqueRunChoices {
  model: ModelRef;
  constitution: Constitution;
  promptSet: Pick<PromptSet, 'id' | 'name' | 'prompts'>;
  rounds: number;
  seed: number;
  sampling: SamplingParams;
  /** How many of the constitution's few-shot examples to prepend (small models have small contexts). */
  fewShot: number;
}

/** The frozen spec a run keeps: deep copies, so later edits of the library never change it. */
export function critiqueRunSpec(choices: CritiqueRunChoices): CritiqueRevisionSpec {
  const { rounds, seed, sampling } = choices;
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
    constitution: { ...structuredClone(choices.constitution), fewShot: structuredClone(choices.constitution.fewShot.slice(0, Math.max(0, choices.fewShot))) },
    promptSetId: choices.promptSet.id,
    promptSetName: choices.promptSet.name,
    prompts: structuredClone(choices.promptSet.prompts),
  };
}

/** Sampled candidates: two temperatures, so the two answers differ by more than their seeds. */
export const DEFAULT_CANDIDATE_TEMPERATURES: readonly [number, number] = [0.7, 1.1];
export const DEFAULT_TIE_MARGIN = 0.05;
export const DEFAULT_REASONING_TOKENS = 128;

/** Where a preference run's pairs come from, as the form chose it (before freezing). */
export type PreferenceSourceChoice =
  | {
      kind: 'sampled';
      model: ModelRef;
      promptSet: Pick<PromptSet, 'id' | 'name' | 'prompts'>;
      temperatures: readonly [number, number];
      topP: number;
      maxTokens: number;
    }
  /** The earlier critique→revision run and its stored records (any order; sorted by index here). */
  | { kind: 'revision'; run: { id: string; name: string }; records: readonly Pick<CritiqueRecord, 'index' | 'promptId' | 'prompt'>[] }
  | { kind: 'imported'; name: string; pairs: readonly ImportedPair[] };

export interface PreferenceRunChoices {
  source: PreferenceSourceChoice;
  judge: Omit<JudgeSettings, 'reasoningMaxTokens'> & { reasoningMaxTokens?: number };
  constitution: Constitution;
  seed: number;
}

function frozenSource(source: PreferenceSourceChoice): { source: CandidateSource; promptSetId: string; promptSetName: string; prompts: PromptItem[] } {
  switch (source.kind) {
    case 'sampled': {
      const [t1, t2] = source.temperatures;
      const sampling = (temperature: number): SamplingParams => ({ temperature, topP: source.topP, maxTokens: source.maxTokens });
      return {
        source: { kind: 'sampled', model: structuredClone(source.model), sampling: [sampling(t1), sampling(t2)] },
        promptSetId: source.promptSet.id,
        promptSetName: source.promptSet.name,
        prompts: structuredClone(source.promptSet.prompts),
      };
    }
    case 'revision': {
      // The runner reads the source run's records by position in index order: prompts follow the same order.
      const records = [...source.records].sort((a, b) => a.index - b.index);
      return {
        source: { kind: 'revision', runId: source.run.id, runName: source.run.name },
        promptSetId: `run:${source.run.id}`,
        promptSetName: `Prompts of run "${source.run.name}"`,
        prompts: records.map((r) => ({ id: r.promptId, text: r.prompt })),
      };
    }
    case 'imported': {
      const pairs = structuredClone(source.pairs) as ImportedPair[];
      return {
        source: { kind: 'imported', name: source.name, pairs },
        promptSetId: `imported:${source.name}`,
        promptSetName: `Imported pairs (${source.name})`,
        prompts: pairs.map((p, i) => ({ id: p.promptId ?? `imported-${i + 1}`, text: p.prompt, source: 'imported' })),
      };
    }
  }
}

/** The frozen spec of a preference run: deep copies, checked like the recipe checks it. */
export function preferenceRunSpec(choices: PreferenceRunChoices): PreferenceSpec {
  const { judge, source } = choices;
  if (source.kind === 'sampled') {
    for (const t of source.temperatures) if (!(t >= 0 && t <= 2)) throw new RangeError(`temperatures must be from 0 to 2, got ${t}`);
  }
  const spec: PreferenceSpec = {
    recipe: 'preference',
    ...frozenSource(source),
    judge: {
      model: structuredClone(judge.model),
      principlesPerComparison: judge.principlesPerComparison,
      mode: judge.mode,
      tieMargin: judge.tieMargin,
      rawPrompt: judge.rawPrompt,
      reasoningMaxTokens: judge.reasoningMaxTokens ?? DEFAULT_REASONING_TOKENS,
    },
    seed: Math.floor(choices.seed) >>> 0,
    constitution: structuredClone(choices.constitution),
  };
  checkPreferenceSpec(spec);
  const enabled = spec.constitution.principles.filter((p) => p.enabled).length;
  if (judge.principlesPerComparison > enabled) {
    throw new RangeError(`principles per comparison can be at most ${enabled} (the enabled principles of "${spec.constitution.name}"), got ${judge.principlesPerComparison}`);
  }
  return spec;
}
