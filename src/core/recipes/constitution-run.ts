/**
 * What the recipes that run one model over a prompt set under a constitution share (critique →
 * revision, CLAIR, RLCD): their spec's common fields, how a stored one is read back, the trace
 * settings and what the card says of the run.
 */
import type { CardRun } from '../formats/card-run';
import type { Reader } from '../schema/validate';
import { SCHEMA_VERSION, type Constitution, type ModelRef, type PromptItem, type Review, type SamplingParams } from '../types';
import { onePerPrompt, type SharedReaders } from './recipe';

export interface ConstitutionRunSpec {
  recipe: string;
  model: ModelRef;
  seed: number;
  sampling: SamplingParams;
  promptSetId: string;
  promptSetName: string;
  prompts: PromptItem[];
  /** Frozen copy of the constitution the run was started with. */
  constitution: Constitution;
}

export const constitutionRun = {
  ...onePerPrompt,
  models: (spec: ConstitutionRunSpec) => [spec.model],
  constitutionName: (spec: ConstitutionRunSpec) => spec.constitution.name,
  settings: <S extends ConstitutionRunSpec>(spec: S) => runSettings(spec),
};

/** A run's settings as the trace shows them: all but the prompts, and the constitution by id and name only. */
export function runSettings<S extends { prompts: unknown; constitution: Constitution }>({ prompts: _prompts, ...settings }: S) {
  return { ...settings, constitution: { id: settings.constitution.id, name: settings.constitution.name } };
}

/** The card's facts of such a run; `role` says what the model did. */
export function constitutionCardRun(name: string, spec: ConstitutionRunSpec, role: string): CardRun {
  return {
    name,
    recipe: spec.recipe,
    seed: spec.seed,
    constitution: { name: spec.constitution.name, principles: spec.constitution.principles },
    promptSet: { name: spec.promptSetName, size: spec.prompts.length },
    models: [{ role, model: spec.model }],
    sampling: [spec.sampling],
  };
}

/**
 * Reads a stored spec of such a run: the shared parts are read through `read`, the fields the app
 * relies on are checked, and the recipe's own fields are kept as stored.
 */
export function readConstitutionRunSpec<S extends ConstitutionRunSpec>(s: Reader, read: SharedReaders): S {
  const spec = structuredClone(s.obj) as unknown as S;
  spec.model = read.model(s.child('model'));
  spec.constitution = read.constitution(s.child('constitution'));
  spec.prompts = read.prompts(s, 'prompts');
  s.child('sampling').int('maxTokens');
  s.num('seed');
  return spec;
}

/** Reads a stored record of such a run, checking that `texts` are strings; its review is read through `read`. */
export function readPromptRecord<R extends { schemaVersion: number; review?: Review }>(
  r: Reader,
  read: SharedReaders,
  texts: readonly string[],
): R {
  for (const field of ['id', 'runId', 'promptId', 'prompt', 'principleId', 'principleName', ...texts]) r.str(field);
  r.int('index');
  r.child('usage').num('ms');
  const record = structuredClone(r.obj) as unknown as R;
  record.schemaVersion = SCHEMA_VERSION;
  if (r.has('review')) record.review = read.review(r.child('review'));
  return record;
}
