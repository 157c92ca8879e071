/**
 * Data model of the judge check: pairs people labelled, judged with exactly the settings a
 * preference run would use, so the report says how far that run's labels can be trusted.
 */
import type { Constitution, PromptItem, Review } from '../../types';
import type { JudgeSettings, PreferenceRecord } from '../preference/types';

/** A labelled pair as the check stores it: `better` is the answer people preferred (0 = answer 1). */
export interface CheckPair {
  promptId?: string;
  prompt: string;
  answerA: string;
  answerB: string;
  better: 0 | 1;
}

export interface JudgeCheckSpec {
  recipe: 'judge-check';
  /** The labelled file's name and its pairs, frozen; answer 1 is `answerA`. */
  source: { name: string; pairs: CheckPair[] };
  /** The preference run's judge settings, copied as they were. */
  judge: JudgeSettings;
  seed: number;
  constitution: Constitution;
  promptSetId: string;
  promptSetName: string;
  prompts: PromptItem[];
}

/** One pair judged like a preference record, plus what people said. */
export interface JudgeCheckRecord extends Omit<PreferenceRecord, 'recipe' | 'review' | 'scores'> {
  recipe: 'judge-check';
  /** The answer people preferred: 0 = answer 1, 1 = answer 2. */
  humanBetter: 0 | 1;
  review?: Review;
}
