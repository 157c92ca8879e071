/**
 * The page's side of the recipe table: each recipe's settings form, the trace of one record (run
 * view), and the record opened in the Datasets tab. A new recipe is a folder of views under
 * views/recipes/<id>/ plus one entry here; the mapped type makes the compiler ask for it.
 */
import type { Component } from 'svelte';
import type { RecipeId } from '../../core/recipes/recipe';
import type { Run, RunRecord } from '../../core/run';
import type { EngineState } from '../../state/engine.svelte';
import type { LibraryState } from '../../state/library.svelte';
import type { RunsState } from '../../state/runs.svelte';
import BackTranslateForm from './back-translate/Form.svelte';
import BackTranslateTrace from './back-translate/Trace.svelte';
import ClairDetail from './clair/Detail.svelte';
import ClairForm from './clair/Form.svelte';
import ClairSummary from './clair/RunSummary.svelte';
import ClairTrace from './clair/Trace.svelte';
import CritiqueDetail from './critique-revision/Detail.svelte';
import CritiqueForm from './critique-revision/Form.svelte';
import CritiqueTrace from './critique-revision/Trace.svelte';
import CritiqueSummary from './critique-revision/RunSummary.svelte';
import MagpieDetail from './magpie/Detail.svelte';
import MagpieForm from './magpie/Form.svelte';
import MagpieSummary from './magpie/RunSummary.svelte';
import MagpieTrace from './magpie/Trace.svelte';
import PreferenceDetail from './preference/Detail.svelte';
import PreferenceForm from './preference/Form.svelte';
import PreferenceSummary from './preference/RunSummary.svelte';
import PreferenceTrace from './preference/Trace.svelte';
import JudgeCheckForm from './judge-check/Form.svelte';
import JudgeCheckSummary from './judge-check/RunSummary.svelte';
import JudgeCheckTrace from './judge-check/Trace.svelte';
import RlcdDetail from './rlcd/Detail.svelte';
import RlcdForm from './rlcd/Form.svelte';
import RlcdSummary from './rlcd/RunSummary.svelte';
import RlcdTrace from './rlcd/Trace.svelte';
import SelfInstructForm from './self-instruct/Form.svelte';
import SelfInstructTrace from './self-instruct/Trace.svelte';

export interface FormProps {
  engine: EngineState;
  runs: RunsState;
  library: LibraryState;
}

type RecordOf<K> = Extract<RunRecord, { recipe: K }>;

export interface RecipeViews<R> {
  /** In the recipe picker of the new-run form. */
  pickerLabel: string;
  Form: Component<FormProps>;
  /** One record in the run view, collapsed. */
  Trace: Component<{ record: R }>;
  /** The record opened in the Datasets tab (the trace, opened, where a recipe has nothing more). */
  Detail: Component<{ record: R }>;
  /** Figures of a whole run, shown above its records. */
  RunSummary?: Component<{ run: Run }>;
}

export const recipeViews: { readonly [K in RecipeId]: RecipeViews<RecordOf<K>> } = {
  'critique-revision': { pickerLabel: 'Critique → revision (SFT data)', Form: CritiqueForm, Trace: CritiqueTrace, Detail: CritiqueDetail, RunSummary: CritiqueSummary },
  preference: { pickerLabel: 'Preference pairs (model as judge)', Form: PreferenceForm, Trace: PreferenceTrace, Detail: PreferenceDetail, RunSummary: PreferenceSummary },
  'self-instruct': { pickerLabel: 'Self-instruct (new prompts from seed prompts)', Form: SelfInstructForm, Trace: SelfInstructTrace, Detail: SelfInstructTrace },
  'back-translate': { pickerLabel: 'Back-translation (paraphrased prompts)', Form: BackTranslateForm, Trace: BackTranslateTrace, Detail: BackTranslateTrace },
  'judge-check': { pickerLabel: 'Judge check (agreement with human labels)', Form: JudgeCheckForm, Trace: JudgeCheckTrace, Detail: JudgeCheckTrace, RunSummary: JudgeCheckSummary },
  magpie: { pickerLabel: 'Magpie (prompts from the model’s template)', Form: MagpieForm, Trace: MagpieTrace, Detail: MagpieDetail, RunSummary: MagpieSummary },
  clair: { pickerLabel: 'Minimal-edit pairs (CLAIR)', Form: ClairForm, Trace: ClairTrace, Detail: ClairDetail, RunSummary: ClairSummary },
  rlcd: { pickerLabel: 'Contrastive pairs (RLCD)', Form: RlcdForm, Trace: RlcdTrace, Detail: RlcdDetail, RunSummary: RlcdSummary },
};

/** The views of the recipe that made a record, typed for any record (the table is keyed by the record's own tag). */
export function viewsOf(record: RunRecord): RecipeViews<RunRecord> {
  return recipeViews[record.recipe] as unknown as RecipeViews<RunRecord>;
}
