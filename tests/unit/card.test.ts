import { spawnSync } from 'node:child_process';
import { parse as parseYamlText } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cardRunOf } from '../../src/core/recipes/index';
import { datasetCard, mdCode, mdText, sizeCategory, yamlString, type CardInput } from '../../src/core/formats/card';
import { SCHEMA_VERSION, type Constitution } from '../../src/core/types';
import type { Run } from '../../src/core/run';

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

/** The front matter read by a real YAML parser (the `yaml` package, YAML 1.2 core schema). */
const parseYaml = (text: string): Yaml => parseYamlText(text) as Yaml;

function frontMatterOf(card: string): string {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!m) throw new Error('no front matter');
  return m[1]!;
}

const constitution: Constitution = {
  schemaVersion: SCHEMA_VERSION,
  id: 'c',
  name: 'Anthropic "harmless" <set>',
  description: '',
  updatedAt: 0,
  fewShot: [],
  principles: [
    { id: 'a', name: 'Kind', critique: '', revision: '', comparison: '', enabled: true },
    { id: 'b', name: 'Off_switch', critique: '', revision: '', comparison: '', enabled: false },
  ],
};

const run: Run = {
  schemaVersion: SCHEMA_VERSION,
  id: 'r1',
  name: 'Harmless *v2*',
  status: 'done',
  cursor: 3,
  recordCount: 3,
  stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 },
  createdAt: 0,
  updatedAt: 0,
  spec: {
    recipe: 'critique-revision',
    model: { backend: 'webgpu', modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC' },
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 256 },
    seed: 42,
    rounds: 2,
    constitution,
    promptSetId: 'ps',
    promptSetName: 'Red team',
    prompts: [{ id: 'q', text: 'x' }, { id: 'q2', text: 'y' }, { id: 'q3', text: 'z' }],
  },
};

const input: CardInput = {
  title: 'My "CAI" data: part\u2028one\u0085',
  run: cardRunOf(run),
  format: 'sft',
  configs: [{ name: 'default', default: true, files: [{ split: 'train', path: 'train.jsonl', rows: 1800 }, { split: 'test', path: 'test.jsonl', rows: 200 }] }],
  counts: { total: 2100, accepted: 1000, rejected: 100, edited: 50, unreviewed: 950, truncated: 21, unchanged: 7 },
  settings: { license: 'apache-2.0', languages: ['en', 'fr'], sourceDatasets: ['someone/prompts'] },
  tags: ['synthetic', 'harmlessness'],
  preference: { pairs: 2000, positionConsistency: 0.8125, meanMargin: 0.4321 },
  split: { seed: 9, testRatio: 0.1 },
  generatedAt: Date.UTC(2024, 0, 2),
};

describe('dataset card', () => {
  const card = datasetCard(input);
  const meta = parseYaml(frontMatterOf(card)) as Record<string, Yaml>;

  it('has front matter with the Hub keys and a configs list naming the files', () => {
    expect(meta).toEqual({
      pretty_name: 'My "CAI" data: part\u2028one\u0085',
      license: 'apache-2.0',
      language: ['en', 'fr'],
      annotations_creators: ['machine-generated'],
      source_datasets: ['someone/prompts'],
      task_categories: ['text-generation'],
      size_categories: ['1K<n<10K'],
      tags: ['synthetic', 'constitutional-ai', 'sft', 'harmlessness'],
      configs: [{ config_name: 'default', default: true, data_files: [{ split: 'train', path: 'train.jsonl' }, { split: 'test', path: 'test.jsonl' }] }],
    });
  });

  it('escapes what YAML forbids inside quotes but JSON allows', () => {
    expect(yamlString('a\u2028b\u0085\u007f"\n')).toBe('"a\\u2028b\\u0085\\u007f\\"\\n"');
    expect(frontMatterOf(card)).not.toMatch(/[\u2028\u0085]/);
  });

  it('states the model, constitution, parameters, counts and figures in prose', () => {
    const body = card.slice(card.indexOf('\n---\n', 4));
    expect(body).toContain('- Model (answers, critiques and revisions): `Qwen2.5-0.5B-Instruct-q4f16_1-MLC` (WebLLM on WebGPU)');
    expect(body).toContain('Made by Constitutional AI self-critique');
    expect(body).toContain('Anthropic "harmless" \\<set\\> (1 principle)');
    expect(body).toContain('  - Kind');
    expect(body).not.toContain('Off');
    expect(body).toContain('temperature 0.7, top-p 0.9, at most 256 new tokens');
    expect(body).toContain('Seed: 42');
    expect(body).toContain('Red team (3 prompts)');
    expect(body).toContain('- 2 critique and revision rounds per prompt');
    expect(body).toContain('left the initial answer unchanged: 7 (0.3%)');
    expect(body).toContain('| default | train | `train.jsonl` | 1,800 |');
    expect(body).toContain('2,100 records');
    expect(body).toContain('100 rejected');
    expect(body).toContain('10.0% test');
    expect(body).toContain('position consistency (same choice in both orders): 81.3%');
    expect(body).toContain('P(rejected)|: 0.432 (0 is');
    expect(body).toContain('- Preference pairs: 2,000');
    expect(body).toContain('from the run Harmless \\*v2\\*.');
    expect(body).toContain('Exported 2024-01-02.');
  });

  it('buckets sizes like the Hub', () => {
    expect([0, 999, 1000, 9999, 10_000, 123_456, 5e6, 2e12].map(sizeCategory)).toEqual([
      'n<1K', 'n<1K', '1K<n<10K', '1K<n<10K', '10K<n<100K', '100K<n<1M', '1M<n<10M', 'n>1T',
    ]);
  });

  it('escapes Markdown in user text', () => {
    expect(mdText('a_b *c* [d](e) <img> | x')).toBe('a\\_b \\*c\\* \\[d\\](e) \\<img\\> \\| x');
    expect(mdCode('a_b')).toBe('`a_b`');
    expect(mdCode('x`y|z')).toBe('``x`y\\|z``');
    expect(mdCode('`q')).toBe('`` `q ``');
  });

  const py = spawnSync('python3', ['-c', 'import yaml']).status === 0;
  it.skipIf(!py)('parses with a real YAML library to the same values', () => {
    const script = 'import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
    const out = spawnSync('python3', ['-c', script], { input: frontMatterOf(card), encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(meta);
  });

  it('describes a preference run: candidate and judge models, judge settings, no revision figures', () => {
    const judge = { model: { backend: 'cpu' as const, kind: 'file' as const, name: 'judge.gguf', size: 1 }, principlesPerComparison: 2, mode: 'plain' as const, tieMargin: 0.05, rawPrompt: true, reasoningMaxTokens: 32 };
    const pref: Run = {
      ...run,
      spec: {
        recipe: 'preference',
        source: { kind: 'sampled', model: { backend: 'webgpu', modelId: 'gen-model' }, sampling: [{ temperature: 0.3, topP: 1, maxTokens: 100 }, { temperature: 1.1, topP: 1, maxTokens: 100 }] },
        judge,
        seed: 5,
        constitution,
        promptSetId: 'ps',
        promptSetName: 'PS',
        prompts: [],
      },
    };
    const text = datasetCard({ ...input, format: 'preference', run: cardRunOf(pref) });
    expect(text).toContain('- Model (candidate answers): `gen-model`');
    expect(text).toContain('- Model (judge): `judge.gguf` (wllama/llama.cpp on the CPU, from a local file)');
    expect(text).toContain('- Judge: plain mode, 2 principles per comparison, tie margin 0.05');
    expect(text).toContain('temperature 0.3,');
    expect(text).toContain('temperature 1.1,');
    expect(text).toContain('a model acting as judge');
    expect(text).not.toContain('critique and revision round');
    expect(text).not.toContain('unchanged');
    expect((parseYaml(frontMatterOf(text)) as Record<string, Yaml>).tags).toEqual(['synthetic', 'constitutional-ai', 'dpo', 'preference', 'harmlessness']);
    const imported = cardRunOf({ ...pref, spec: { ...pref.spec, source: { kind: 'imported', name: 'hh.jsonl', pairs: [{ prompt: 'p', answerA: 'a', answerB: 'b' }] } } } as Run);
    expect(imported.candidates).toBe('1 pair imported from "hh.jsonl"');
    expect(imported.models.map((m) => m.role)).toEqual(['judge']);
  });
});
