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
];

const DOM_GLOBALS = new Set(['document', 'window', 'localStorage', 'indexedDB', 'navigator']);

/** Existing loops that other work removes; delete an entry once its loop is gone. */
const ALLOWED_CYCLES: string[][] = [
  // removed by the recipe registry work
  ['src/core/augment-types.ts', 'src/core/types.ts'],
  ['src/core/preference-types.ts', 'src/core/types.ts'],
  ['src/worker/recipes/augment.ts', 'src/worker/recipes/index.ts'],
  ['src/worker/recipes/critique-revision.ts', 'src/worker/recipes/index.ts'],
  ['src/worker/recipes/index.ts', 'src/worker/recipes/preference.ts'],
];

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

  it('has no import cycles beyond the ones listed', () => {
    const allowed = new Set(ALLOWED_CYCLES.flatMap(edgesOfLoop));
    const graph = new Map<string, string[]>();
    for (const { file, imports } of sources) {
      const targets = imports.map((s) => resolveImport(file, s)).filter((t): t is string => t !== null);
      // A listed loop's own edges are left out, so any other loop, even through them, still shows.
      graph.set(file, targets.filter((t) => !allowed.has(`${file} -> ${t}`)));
    }
    expect(findCycles(graph).map((group) => group.join(' <-> '))).toEqual([]);
  });
});

/** `a -> b`, `b -> a` for a pair; each step round the loop for longer ones. */
function edgesOfLoop(loop: string[]): string[] {
  return loop.map((file, i) => `${file} -> ${loop[(i + 1) % loop.length]}`).concat(loop.map((file, i) => `${loop[(i + 1) % loop.length]} -> ${file}`));
}
