/**
 * The layering rules of DESIGN.md §3, checked on every import under src/: core/ stays pure (no
 * DOM, IndexedDB, engines or Svelte) so it runs in Node and in the worker alike; storage/ never
 * reaches up into the UI; and no modules import each other round a loop.
 */
import { describe, expect, it } from 'vitest';
import { findCycles, freeIdentifiers, readSources, resolveImport } from '../support/source-graph';

const sources = readSources();

/** Folders and packages a layer may not import, by the folder the importing file lives in. */
const FORBIDDEN: { layer: string; folders: string[]; packages: string[] }[] = [
  {
    layer: 'src/core/',
    folders: ['src/storage/', 'src/worker/', 'src/state/', 'src/views/', 'src/components/', 'src/datasets/'],
    packages: ['svelte', 'idb-keyval', '@mlc-ai/web-llm', '@wllama/wllama', 'comlink'],
  },
  { layer: 'src/storage/', folders: ['src/state/', 'src/views/'], packages: [] },
  // Recipe drivers run in the page's worker and on the command line: what they store comes through the context.
  { layer: 'src/worker/recipes/', folders: ['src/storage/', 'src/state/', 'src/views/', 'src/components/', 'src/datasets/'], packages: ['idb-keyval', 'svelte'] },
  // The command line runs in Node: no browser storage, engines or UI.
  {
    layer: 'src/cli/',
    folders: ['src/storage/', 'src/state/', 'src/views/', 'src/components/', 'src/datasets/', 'src/worker/engines/'],
    packages: ['svelte', 'idb-keyval', '@mlc-ai/web-llm', '@wllama/wllama', 'comlink'],
  },
];

const DOM_GLOBALS = new Set(['document', 'window', 'localStorage', 'indexedDB', 'navigator']);

const isPackage = (specifier: string, name: string) => specifier === name || specifier.startsWith(`${name}/`);

describe('layers', () => {
  it('finds the sources', () => {
    expect(sources.some((s) => s.file === 'src/core/types.ts')).toBe(true);
    expect(sources.some((s) => s.file.endsWith('.svelte'))).toBe(true);
  });

  it('keeps each layer off the layers and packages it must not use', () => {
    const violations: string[] = [];
    for (const { file, imports } of sources) {
      for (const rule of FORBIDDEN.filter((r) => file.startsWith(r.layer))) {
        for (const specifier of imports) {
          const target = resolveImport(file, specifier);
          const badFolder = target !== null && rule.folders.some((f) => target.startsWith(f));
          const badPackage = rule.packages.some((p) => isPackage(specifier, p));
          if (badFolder || badPackage) violations.push(`${file} imports '${specifier}'`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps core/ off browser-only globals', () => {
    const violations = sources
      .filter((s) => s.file.startsWith('src/core/'))
      .flatMap(({ file, code }) => [...new Set(freeIdentifiers(file, code, DOM_GLOBALS))].map((name) => `${file} uses ${name}`));
    expect(violations).toEqual([]);
  });

  it('has no import cycles, type-only imports included', () => {
    const graph = new Map<string, string[]>();
    for (const { file, imports } of sources) {
      const targets = imports.map((s) => resolveImport(file, s)).filter((t): t is string => t !== null);
      graph.set(file, targets);
    }
    expect(findCycles(graph).map((group) => group.join(' <-> '))).toEqual([]);
  });
});

