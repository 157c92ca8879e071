/** The frozen spec of a judge check: labelled pairs and the judge settings of a preference run. */
import type { LabelledPair } from '../../formats/pairs';
import { Random } from '../../random';
import type { Constitution } from '../../types';
import { checkPreferenceSpec } from '../preference/make';
import type { JudgeSettings, PreferenceSpec } from '../preference/types';
import type { Run } from '../../run';
import type { CheckPair, JudgeCheckSpec } from './types';

export interface JudgeCheckChoices {
  /** The labelled file's name. */
  name: string;
  pairs: readonly LabelledPair[];
  /** Check only the first `limit` labelled pairs (all when absent). */
  limit?: number;
  judge: JudgeSettings;
  constitution: Constitution;
  seed: number;
}

/** Which answer comes first draws from its own stream, so the principle draws never depend on it. */
const ARRANGE_STREAM = 0x61727267;

/**
 * Answer 1 is the preferred answer on about half the pairs, by a seeded coin. Many files list the
 * chosen answer first (HH-RLHF, TRL); kept that way, a judge that always picks answer 1 would look
 * perfect in the first-order figures.
 */
export function arrangePairs(pairs: readonly LabelledPair[], seed: number): CheckPair[] {
  return pairs.map((p, i) => {
    const swap = Random.forItem((seed ^ ARRANGE_STREAM) >>> 0, i).next() < 0.5;
    const better = p.better as 0 | 1;
    const pair: CheckPair = swap
      ? { prompt: p.prompt, answerA: p.answerB, answerB: p.answerA, better: (1 - better) as 0 | 1 }
      : { prompt: p.prompt, answerA: p.answerA, answerB: p.answerB, better };
    if (p.promptId !== undefined) pair.promptId = p.promptId;
    return pair;
  });
}

/** The spec as the preference recipe's judge reads it: the same pairs as an imported source. */
export function asPreferenceSpec(spec: JudgeCheckSpec): PreferenceSpec {
  const { source, ...rest } = spec;
  return { ...rest, recipe: 'preference', source: { kind: 'imported', name: source.name, pairs: source.pairs } };
}

export function judgeCheckSpec(choices: JudgeCheckChoices): JudgeCheckSpec {
  const labelled = choices.pairs.filter((p) => p.better !== undefined);
  if (labelled.length === 0) throw new Error(`No pair in "${choices.name}" says which answer people preferred.`);
  const limit = choices.limit === undefined ? labelled.length : Math.floor(choices.limit);
  if (!(limit >= 1)) throw new RangeError(`the number of pairs to check must be at least 1, got ${choices.limit}`);
  const seed = Math.floor(choices.seed) >>> 0;
  const pairs = arrangePairs(structuredClone(labelled.slice(0, limit)), seed);
  const spec: JudgeCheckSpec = {
    recipe: 'judge-check',
    source: { name: choices.name, pairs },
    judge: structuredClone(choices.judge),
    seed,
    constitution: structuredClone(choices.constitution),
    promptSetId: `judge-check:${choices.name}`,
    promptSetName: `Labelled pairs (${choices.name})`,
    prompts: pairs.map((p, i) => ({ id: p.promptId ?? `labelled-${i + 1}`, text: p.prompt, source: 'imported' })),
  };
  checkPreferenceSpec(asPreferenceSpec(spec));
  const enabled = spec.constitution.principles.filter((p) => p.enabled).length;
  if (spec.judge.principlesPerComparison > enabled) {
    throw new RangeError(`principles per comparison can be at most ${enabled} (the enabled principles of "${spec.constitution.name}"), got ${spec.judge.principlesPerComparison}`);
  }
  return spec;
}

/** Whether a stored run is a judge check. */
export function isCheckRun(run: Pick<Run, 'spec'>): run is Run & { spec: JudgeCheckSpec } {
  return run.spec.recipe === 'judge-check';
}

/**
 * Whether a check judged the way a preference run will: same judge model, mode, principles per
 * comparison, form and constitution (the tie margin changes no agreement figure, so it may differ).
 */
export function judgesAlike(check: JudgeCheckSpec, spec: Pick<PreferenceSpec, 'judge' | 'constitution'>): boolean {
  const [a, b] = [check.judge, spec.judge];
  return (
    JSON.stringify(a.model) === JSON.stringify(b.model) &&
    a.mode === b.mode &&
    a.principlesPerComparison === b.principlesPerComparison &&
    a.rawPrompt === b.rawPrompt &&
    (a.mode === 'plain' || a.reasoningMaxTokens === b.reasoningMaxTokens) &&
    check.constitution.id === spec.constitution.id
  );
}
