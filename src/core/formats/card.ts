/**
 * The dataset card: a README.md whose YAML front matter the Hugging Face Hub reads (license,
 * languages, task, size bucket, tags, and `configs` naming the data files per split), followed by
 * prose saying how the data was made, so the file still explains itself once it leaves this app.
 */
import type { ReviewCounts } from '../dataset-stats';
import type { ModelRef, Run, SamplingParams } from '../types';

/** What the card needs to know about the run; a stored Run gives it via `cardRunOf`, an imported trace's `run` field has the same shape. */
export interface CardRun {
  name: string;
  recipe: string;
  model: ModelRef;
  sampling: SamplingParams;
  seed: number;
  rounds: number;
  constitution: { name: string; principles?: readonly { name: string; enabled?: boolean }[] };
  promptSet: { name: string; size?: number };
}

export type CardFormat = 'sft' | 'preference' | 'kto' | 'cai' | 'trace';

export interface CardConfig {
  /** "default" for the config the Hub shows first. */
  name: string;
  files: readonly { split: string; path: string; rows: number }[];
}

export interface PreferenceFigures {
  pairs: number;
  /** Share of pairs where the judge picked the same answer in both orders (0..1). */
  positionConsistency?: number;
  /** Mean probability margin of the preferred answer (0..1). */
  meanMargin?: number;
}

export interface CardInput {
  title: string;
  run: CardRun;
  format: CardFormat;
  configs: readonly CardConfig[];
  counts: ReviewCounts;
  /** SPDX-style id the Hub knows (e.g. "apache-2.0"); "other" when unsure, the default. */
  license?: string;
  language?: readonly string[];
  tags?: readonly string[];
  preference?: PreferenceFigures;
  split?: { seed: number; testRatio: number };
  /** ms since epoch; omitted, the card carries no date. */
  generatedAt?: number;
}

export function cardRunOf(run: Run): CardRun {
  const { spec } = run;
  return {
    name: run.name,
    recipe: spec.recipe,
    model: spec.model,
    sampling: spec.sampling,
    seed: spec.seed,
    rounds: spec.rounds,
    constitution: { name: spec.constitution.name, principles: spec.constitution.principles },
    promptSet: { name: spec.promptSetName, size: spec.prompts.length },
  };
}

/** The Hub's size buckets, by number of rows. */
export function sizeCategory(rows: number): string {
  const buckets = ['1K', '10K', '100K', '1M', '10M', '100M', '1B', '10B', '100B', '1T'];
  const limits = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];
  const i = limits.findIndex((limit) => rows < limit);
  if (i === -1) return 'n>1T';
  return i === 0 ? 'n<1K' : `${buckets[i - 1]}<n<${buckets[i]}`;
}

/**
 * A YAML double-quoted scalar. JSON's escapes are all valid YAML, but YAML also forbids raw DEL,
 * C1 controls, line/paragraph separators and BOM inside quotes, which JSON leaves alone.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const FORMAT_TAGS: Record<CardFormat, string[]> = {
  sft: ['sft'],
  preference: ['dpo', 'preference'],
  kto: ['kto'],
  cai: ['sft', 'dpo'],
  trace: ['critique-revision'],
};

function frontMatter(input: CardInput, rows: number): string {
  const list = (key: string, values: readonly string[]) => [`${key}:`, ...values.map((v) => `- ${yamlString(v)}`)];
  const tags = [...new Set(['synthetic', 'constitutional-ai', ...FORMAT_TAGS[input.format], ...(input.tags ?? [])])];
  const configs = input.configs.flatMap((c) => [
    `- config_name: ${yamlString(c.name)}`,
    '  data_files:',
    ...c.files.flatMap((f) => [`  - split: ${yamlString(f.split)}`, `    path: ${yamlString(f.path)}`]),
  ]);
  return [
    '---',
    `pretty_name: ${yamlString(input.title)}`,
    `license: ${yamlString(input.license ?? 'other')}`,
    ...list('language', input.language ?? ['en']),
    ...list('task_categories', ['text-generation']),
    ...list('size_categories', [sizeCategory(rows)]),
    ...list('tags', tags),
    'configs:',
    ...configs,
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

const num = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function modelLabel(model: ModelRef): string {
  if (model.backend === 'webgpu') return `${model.modelId} (WebLLM, WebGPU)`;
  return model.kind === 'url' ? `${model.name} (llama.cpp/wllama, CPU; ${model.url})` : `${model.name} (llama.cpp/wllama, CPU; local file)`;
}

function madeWith(run: CardRun): string[] {
  const principles = (run.constitution.principles ?? []).filter((p) => p.enabled !== false);
  const s = run.sampling;
  return [
    '## How it was made',
    '',
    `Generated in the browser by a local model, with no server involved.`,
    '',
    `- Model: ${mdText(modelLabel(run.model))}`,
    `- Recipe: ${mdText(run.recipe)}, ${run.rounds} critique and revision round(s) per prompt`,
    `- Constitution: ${mdText(run.constitution.name)}` + (principles.length ? ` (${principles.length} principles)` : ''),
    ...principles.map((p) => `  - ${mdText(p.name)}`),
    `- Prompts: ${mdText(run.promptSet.name)}` + (run.promptSet.size != null ? ` (${num(run.promptSet.size)} prompts)` : ''),
    `- Sampling: temperature ${s.temperature}, top-p ${s.topP}, at most ${num(s.maxTokens)} new tokens per step`,
    `- Seed: ${run.seed}`,
  ];
}

function contents(input: CardInput): string[] {
  const c = input.counts;
  const files = input.configs.flatMap((cfg) => cfg.files.map((f) => `| ${mdText(cfg.name)} | ${mdText(f.split)} | ${mdText(f.path)} | ${num(f.rows)} |`));
  return [
    '## Contents',
    '',
    '| config | split | file | rows |',
    '| --- | --- | --- | --- |',
    ...files,
    '',
    `The run produced ${num(c.total)} records. Human review: ${num(c.accepted)} accepted, ${num(c.edited)} edited, ` +
      `${num(c.rejected)} rejected (left out of these files), ${num(c.unreviewed)} not reviewed. Edited rows carry the reviewer's text.`,
    ...(input.split ? ['', `Train/test split: ${pct(input.split.testRatio)} test, drawn per record id with seed ${input.split.seed}.`] : []),
  ];
}

function quality(input: CardInput): string[] {
  const c = input.counts;
  const share = (n: number) => (c.total > 0 ? ` (${pct(n / c.total)})` : '');
  const lines = [
    '## Quality figures',
    '',
    `- Records with a generation cut off at the token limit: ${num(c.truncated)}${share(c.truncated)}`,
    `- Records whose revisions left the initial answer unchanged: ${num(c.unchanged)}${share(c.unchanged)}`,
  ];
  const p = input.preference;
  if (p) {
    lines.push(`- Preference pairs: ${num(p.pairs)}`);
    if (p.positionConsistency != null) lines.push(`- Judge position consistency (same choice in both orders): ${pct(p.positionConsistency)}`);
    if (p.meanMargin != null) lines.push(`- Mean judge margin: ${p.meanMargin.toFixed(3)}`);
  }
  return lines;
}

const FIELDS: Record<CardFormat, string> = {
  sft: 'Each line is `{"messages": [user, assistant]}` (TRL conversational SFT); the assistant turn is the final revision.',
  preference: 'Each line has `prompt`, `chosen` and `rejected` as lists of `{role, content}` (TRL conversational preference), with `score_chosen`/`score_rejected` where known.',
  kto: 'Each line has `prompt`, `completion` (lists of `{role, content}`) and a boolean `label` (TRL unpaired preference).',
  cai: 'Columns follow the Hugging Face CAI datasets: `init_prompt`, `init_response`, `critic_prompt`, `critic_response`, `revision_prompt`, `revision_response` and `prompt` are strings (first critique round); `messages`, `chosen` (final answer) and `rejected` (initial answer) are lists of `{role, content}`.',
  trace: 'Each line is a complete stored record (prompt, initial answer, every critique round, final answer, usage, review) plus a `run` object; the app re-imports it exactly.',
};

/** The whole README.md. */
export function datasetCard(input: CardInput): string {
  const rows = input.configs.reduce((n, c) => n + c.files.reduce((m, f) => m + f.rows, 0), 0);
  const date = input.generatedAt != null ? [`Exported ${new Date(input.generatedAt).toISOString().slice(0, 10)}.`, ''] : [];
  return [
    frontMatter(input, rows),
    '',
    `# ${mdText(input.title)}`,
    '',
    `Synthetic data made by Constitutional AI self-critique: a model answers a prompt, critiques its answer against a principle, then revises it. Run: ${mdText(input.run.name)}.`,
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
    FIELDS[input.format],
    '',
    '## Limitations',
    '',
    'Every answer, critique and revision was written by a small model and may be wrong, unsafe or biased. Read a sample before training on it.',
    '',
  ].join('\n');
}
