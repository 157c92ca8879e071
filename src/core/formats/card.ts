/**
 * The dataset card: a README.md whose YAML front matter the Hugging Face Hub reads (license,
 * languages, task, size bucket, tags, and `configs` naming the data files per split), followed by
 * prose saying how the data was made, so the file still explains itself once it leaves this app.
 */
import type { PreferenceFigures, ReviewCounts } from '../dataset-stats';
import { refKindOf } from '../engines';
import { num, plural } from '../text';
import type { ModelRef } from '../types';
import { citationText, type CardFormat, type CardRun } from './card-run';
import { DEFAULT_CARD_SETTINGS, type CardSettings } from './card-settings';
import { featuresYaml, type Fields } from './features';
import { EXPORT_FORMATS } from './table';
import { yamlString } from './yaml';
import { useIt } from './card-use';

// The figures are computed in dataset-stats; re-exported so the card's callers find them here too.
export type { PreferenceFigures };

export type { CardFormat, CardRun } from './card-run';
export type { CardSettings } from './card-settings';
export { yamlString } from './yaml';

export interface CardConfig {
  name: string;
  /** The config `load_dataset(repo)` loads: exactly one has it. */
  default?: boolean;
  /** Column types of its rows, for `dataset_info`. */
  features?: Fields;
  files: readonly { split: string; path: string; rows: number }[];
}

export interface CardInput {
  title: string;
  run: CardRun;
  /** The format of the files, or of each config when an export holds several. */
  format: CardFormat | readonly CardFormat[];
  configs: readonly CardConfig[];
  counts: ReviewCounts;
  /** License, languages and source datasets; DEFAULT_CARD_SETTINGS when absent. */
  settings?: CardSettings;
  tags?: readonly string[];
  preference?: PreferenceFigures;
  split?: { seed: number; testRatio: number };
  /** Preference rows carry TRL RewardTrainer's `margin` column. */
  margin?: boolean;
  /** CAI rows in the train_sft / train_prefs layout, prompts halved with this seed. */
  caiHalves?: { seed: number };
  /** A repository name for the "Use it" lines, e.g. "harmless-v2". */
  repoStem?: string;
  /** ms since epoch; omitted, the card carries no date. */
  generatedAt?: number;
}

/** The Hub's size buckets, by number of rows. */
export function sizeCategory(rows: number): string {
  const buckets = ['1K', '10K', '100K', '1M', '10M', '100M', '1B', '10B', '100B', '1T'];
  const limits = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];
  const i = limits.findIndex((limit) => rows < limit);
  if (i === -1) return 'n>1T';
  return i === 0 ? 'n<1K' : `${buckets[i - 1]}<n<${buckets[i]}`;
}

const formatsOf = (input: CardInput): readonly CardFormat[] => (typeof input.format === 'string' ? [input.format] : input.format);

/** Examples counted once: the rows of the default config (other configs repeat the same records). */
export function exampleCount(configs: readonly CardConfig[]): number {
  const main = configs.find((c) => c.default) ?? configs[0];
  return main ? main.files.reduce((n, f) => n + f.rows, 0) : 0;
}

const list = (key: string, values: readonly string[]) => [`${key}:`, ...values.map((v) => `- ${yamlString(v)}`)];

function licenseLines(settings: CardSettings): string[] {
  const lines = [`license: ${yamlString(settings.license)}`];
  if (settings.license === 'other' && settings.licenseName) lines.push(`license_name: ${yamlString(settings.licenseName)}`);
  return lines;
}

function configLines(configs: readonly CardConfig[]): string[] {
  return configs.flatMap((c) => [
    `- config_name: ${yamlString(c.name)}`,
    ...(c.default ? ['  default: true'] : []),
    '  data_files:',
    ...c.files.flatMap((f) => [`  - split: ${yamlString(f.split)}`, `    path: ${yamlString(f.path)}`]),
  ]);
}

/** `dataset_info`: per config its column types and each split's number of examples. */
function infoLines(configs: readonly CardConfig[]): string[] {
  const typed = configs.filter((c) => c.features && Object.keys(c.features).length);
  if (!typed.length) return [];
  return [
    'dataset_info:',
    ...typed.flatMap((c) => [
      `- config_name: ${yamlString(c.name)}`,
      '  features:',
      ...featuresYaml(c.features!, '  '),
      '  splits:',
      ...c.files.flatMap((f) => [`  - name: ${yamlString(f.split)}`, `    num_examples: ${f.rows}`]),
    ]),
  ];
}

function frontMatter(input: CardInput): string {
  const settings = input.settings ?? DEFAULT_CARD_SETTINGS;
  const tags = [...new Set(['synthetic', 'constitutional-ai', ...formatsOf(input).flatMap((f) => EXPORT_FORMATS[f].tags), ...(input.tags ?? [])])];
  return [
    '---',
    `pretty_name: ${yamlString(input.title)}`,
    ...licenseLines(settings),
    ...list('language', settings.languages.length ? settings.languages : DEFAULT_CARD_SETTINGS.languages),
    ...list('annotations_creators', ['machine-generated']),
    ...(settings.sourceDatasets.length ? list('source_datasets', settings.sourceDatasets) : []),
    ...list('task_categories', ['text-generation']),
    ...list('size_categories', [sizeCategory(exampleCount(input.configs))]),
    ...list('tags', tags),
    'configs:',
    ...configLines(input.configs),
    ...infoLines(input.configs),
    '---',
  ].join('\n');
}

/**
 * Backslash-escapes the characters that format inline Markdown (or open HTML, or end a table cell)
 * so names typed by users cannot break the card. Our text is always inline, so line-start syntax
 * such as "#" or "-" is harmless and left readable.
 */
export function mdText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/\s+/g, ' ').trim();
}

/** A code span, for identifiers such as model ids and paths that must read exactly as written. */
export function mdCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // Inside a table cell GFM still splits on "|", so that one needs its backslash even here.
  const body = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function modelLine(model: ModelRef): string {
  return refKindOf(model).cardLine(model, mdCode);
}

const RECIPE_SUMMARY: Record<string, string> = {
  'critique-revision': 'Made by Constitutional AI self-critique: a model answers a prompt, critiques its answer against a principle of the constitution, then revises it.',
  import: 'Records imported from a file, or merged from several datasets, then reviewed in this app.',
  'judge-check': 'A judge check: a model acting as judge compared answer pairs that people had labelled, to measure how often it agrees with them.',
  preference: "Preference pairs labelled by AI feedback: a model acting as judge compares two answers under the constitution's principles, asking in both orders to cancel position bias.",
};

function madeWith(run: CardRun): string[] {
  const principles = (run.constitution?.principles ?? []).filter((p) => p.enabled !== false);
  const j = run.judge;
  return [
    '## How it was made',
    '',
    run.origin
      ? `${RECIPE_SUMMARY.import} ${mdText(run.origin)}`
      : `${RECIPE_SUMMARY[run.recipe] ?? `Recipe: ${mdText(run.recipe)}.`} Every model ran locally in the browser.`,
    '',
    ...run.models.map((m) => `- Model (${mdText(m.role)}): ${modelLine(m.model)}`),
    ...(run.rounds != null ? [`- ${plural(run.rounds, 'critique and revision round')} per prompt`] : []),
    ...(run.candidates ? [`- Candidates: ${mdText(run.candidates)}`] : []),
    ...(j ? [`- Judge: ${mdText(j.mode)} mode, ${plural(j.principlesPerComparison, 'principle')} per comparison, tie margin ${j.tieMargin}`] : []),
    ...(run.judgeCheck ? [`- Judge check: ${mdText(citationText(run.judgeCheck))}`] : []),
    ...(run.constitution ? [`- Constitution: ${mdText(run.constitution.name)}` + (principles.length ? ` (${plural(principles.length, 'principle')})` : '')] : []),
    ...principles.map((p) => `  - ${mdText(p.name)}`),
    ...(run.promptSet ? [`- Prompts: ${mdText(run.promptSet.name)}` + (run.promptSet.size != null ? ` (${plural(run.promptSet.size, 'prompt')})` : '')] : []),
    ...run.sampling.map((s) => `- Sampling: temperature ${s.temperature}, top-p ${s.topP}, at most ${num(s.maxTokens)} new tokens per step`),
    ...(run.seed != null ? [`- Seed: ${run.seed}`] : []),
  ];
}

function contents(input: CardInput): string[] {
  const c = input.counts;
  const files = input.configs.flatMap((cfg) => cfg.files.map((f) => `| ${mdText(cfg.name)} | ${mdText(f.split)} | ${mdCode(f.path)} | ${num(f.rows)} |`));
  return [
    '## Contents',
    '',
    '| config | split | file | rows |',
    '| --- | --- | --- | --- |',
    ...files,
    '',
    `The run produced ${plural(c.total, 'record')}. Human review: ${num(c.accepted)} accepted, ${num(c.edited)} edited, ` +
      `${num(c.rejected)} rejected (left out of these files), ${num(c.unreviewed)} not reviewed. Edited rows carry the reviewer's text.`,
    ...(input.split ? ['', `Train/test split: ${pct(input.split.testRatio)} test, drawn per record id with seed ${input.split.seed}.`] : []),
    '',
    `Examples: ${num(exampleCount(input.configs))} (the rows of the default config; the other configs present the same records another way).`,
  ];
}

function quality(input: CardInput): string[] {
  const c = input.counts;
  const share = (n: number) => (c.total > 0 ? ` (${pct(n / c.total)})` : '');
  const lines = [
    '## Quality figures',
    '',
    `- Records with a generation cut off at the token limit: ${num(c.truncated)}${share(c.truncated)}`,
  ];
  if (input.run.rounds != null) lines.push(`- Records whose revisions left the initial answer unchanged: ${num(c.unchanged)}${share(c.unchanged)}`);
  const p = input.preference;
  if (p) {
    lines.push(`- Preference pairs: ${num(p.pairs)}`);
    if (p.positionConsistency != null) lines.push(`- Judge position consistency (same choice in both orders): ${pct(p.positionConsistency)}`);
    if (p.meanMargin != null) lines.push(`- Mean judge margin |P(chosen) − P(rejected)|: ${p.meanMargin.toFixed(3)} (0 is a coin toss, 1 certainty)`);
  }
  return lines;
}


function fields(input: CardInput): string[] {
  const formats = formatsOf(input);
  const lines = formats.length === 1 ? [EXPORT_FORMATS[formats[0]!].fields] : formats.map((f) => `- ${f}: ${EXPORT_FORMATS[f].fields}`);
  if (input.margin && formats.includes('preference')) {
    lines.push('', MARGIN_NOTE);
  }
  if (input.caiHalves && formats.includes('cai')) {
    lines.push('', `The CAI config follows the layout of Hugging Face's CAI datasets: its SFT splits (\`*_sft\`) and preference splits (\`*_prefs\`) hold different prompts, each prompt drawn to one half with seed ${input.caiHalves.seed}.`);
  }
  return lines;
}

const MARGIN_NOTE =
  '`margin` (preference rows) is `score_chosen` − `score_rejected`, from 0 (the judge could not tell the answers apart) to 1 (it was certain), and 0 where the pair has no judge probability. ' +
  'TRL’s RewardTrainer reads it and subtracts it inside its loss, −log σ(r(chosen) − r(rejected) − margin), so a clearer preference asks for a wider gap in reward.';

function licenseProse(settings: CardSettings): string[] {
  const named = settings.license === 'other' ? `a license named ${mdCode(settings.licenseName ?? 'other')}` : settings.license === 'unknown' ? 'no stated license' : `the ${mdCode(settings.license)} license`;
  return ['## License', '', `The exporter released these files under ${named}. The models that wrote the text may have terms of their own; check them before publishing or training.`];
}

/** The whole README.md. */
export function datasetCard(input: CardInput): string {
  const date = input.generatedAt != null ? [`Exported ${new Date(input.generatedAt).toISOString().slice(0, 10)}.`, ''] : [];
  return [
    frontMatter(input),
    '',
    `# ${mdText(input.title)}`,
    '',
    `Synthetic training data for a language model, from the run ${mdText(input.run.name)}.`,
    '',
    ...date,
    ...madeWith(input.run),
    '',
    ...contents(input),
    '',
    ...quality(input),
    '',
    '## Fields',
    '',
    ...fields(input),
    '',
    ...useIt(input.configs, input.repoStem ?? 'my-cai-dataset'),
    '',
    ...licenseProse(input.settings ?? DEFAULT_CARD_SETTINGS),
    '',
    '## Limitations',
    '',
    'Every answer, critique and revision was written by a small model and may be wrong, unsafe or biased. Read a sample before training on it.',
    '',
  ].join('\n');
}
