/** The frozen spec of a preference run, built from what its form chose. */
import type { Constitution, ModelRef, PromptItem, PromptSet, SamplingParams } from '../../types';
import type { CritiqueRecord } from '../critique-revision/types';
import type { Run } from '../../run';
import type { CandidateSource, ImportedPair, JudgeSettings, PreferenceSpec } from './types';
import { checkPreferenceSpec } from './make';

/** Sampled candidates: two temperatures, so the two answers differ by more than their seeds. */
export const DEFAULT_CANDIDATE_TEMPERATURES: readonly [number, number] = [0.7, 1.1];
export const DEFAULT_TIE_MARGIN = 0.05;
export const DEFAULT_REASONING_TOKENS = 128;

/** Runs whose stored records can be a revision source: critique → revision runs that made something. */
export function isRevisionSource(run: Pick<Run, 'spec' | 'recordCount'>): boolean {
  return run.spec.recipe === 'critique-revision' && run.recordCount > 0;
}

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
