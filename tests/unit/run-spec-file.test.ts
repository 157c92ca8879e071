// The run spec file: what the page's "Export run spec" downloads is what `cai-lab run` reads.
import { describe, expect, it } from 'vitest';
import { readRunSpecFile, runSpecText } from '../../src/core/run-spec-file';
import { restoreRun } from '../../src/core/schema/restore';
import { parseShard } from '../../src/cli/shard';
import { listIndexes } from '../../src/cli/merge';
import { critiqueSpec } from '../support/cli';
import { critiqueRun } from './datasets-fixtures';

const read = (text: string) => readRunSpecFile(JSON.parse(text), 'spec.json');

describe('run spec files', () => {
  it('reads back exactly the spec the page exports', () => {
    const run = restoreRun(critiqueRun('r1', 4));
    expect(read(runSpecText(run.name, run.spec))).toEqual({ name: run.name, spec: run.spec });
    const { name, spec } = critiqueSpec(3);
    expect(read(runSpecText(name, spec))).toEqual({ name, spec });
    // A server model's reference keeps only addresses and the model id.
    const served = { ...spec, model: { backend: 'server' as const, baseUrls: ['http://127.0.0.1:8080'], model: 'tiny' } };
    expect(read(runSpecText(name, served)).spec).toEqual(served);
  });

  it('names the file and the field that is wrong', () => {
    const { name, spec } = critiqueSpec(2);
    const file = JSON.parse(runSpecText(name, spec)) as Record<string, unknown> & { spec: Record<string, unknown> };
    const broken = (change: (f: typeof file) => void) => {
      const copy = structuredClone(file);
      change(copy);
      return () => readRunSpecFile(copy, 'spec.json');
    };
    expect(broken((f) => (f.spec.rounds = 'two'))).toThrow('spec.json: field "spec.rounds" must be');
    expect(broken((f) => (f.spec.prompts = [{ id: 'p0' }]))).toThrow('spec.json: field "spec.prompts[0].text" must be a string');
    expect(broken((f) => (f.spec.recipe = 'poetry'))).toThrow('spec.json: field "spec.recipe" must be one of');
    expect(broken((f) => delete f.format)).toThrow('spec.json: field "format" must be "cai-lab-run-spec"');
    expect(broken((f) => (f.version = 99))).toThrow('from a newer CAI Lab');
    expect(() => readRunSpecFile([1], 'spec.json')).toThrow('spec.json: must be a JSON object');
  });
});

describe('command-line parts', () => {
  it('reads --shard i/n and refuses anything else', () => {
    expect(parseShard(undefined)).toEqual({ i: 0, n: 1 });
    expect(parseShard('3/4')).toEqual({ i: 3, n: 4 });
    for (const bad of ['4/4', '1/0', '-1/2', '1-2', 'a/b', '']) expect(() => parseShard(bad)).toThrow('expected i/n');
  });

  it('lists long index lists briefly', () => {
    expect(listIndexes([1, 2, 3])).toBe('1, 2, 3');
    expect(listIndexes(Array.from({ length: 25 }, (_, i) => i), 3)).toBe('0, 1, 2 and 22 more');
  });
});
