// The production build keeps WebLLM (≈6 MB) out of the page's own bundle: only the worker loads it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './harness';

describe('production bundle', () => {
  const assets = path.join(repoRoot, 'dist', 'assets');
  const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));

  it('loads WebLLM only in the pipeline worker', () => {
    const withWebLlm = scripts.filter((f) => readFileSync(path.join(assets, f), 'utf8').includes('MLCEngine'));
    expect(withWebLlm).toHaveLength(1);
    expect(withWebLlm[0]).toMatch(/^pipeline\.worker-/);
  });

  it('keeps the page scripts small', () => {
    const pageBytes = scripts
      .filter((f) => !f.startsWith('pipeline.worker-'))
      .reduce((n, f) => n + readFileSync(path.join(assets, f)).length, 0);
    expect(pageBytes).toBeLessThan(1_000_000);
  });
});
