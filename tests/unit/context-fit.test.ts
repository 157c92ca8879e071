import { describe, expect, it } from 'vitest';
import { fitContext, longestRequest, type TokenCounter } from '../../src/core/recipes/critique-revision/context-fit';
import { critiqueRunSpec } from '../../src/core/recipes/critique-revision/spec';
import { builtinConstitutions } from '../../src/core/builtins/constitution';
import type { ChatMessage } from '../../src/core/types';

const constitution = structuredClone(builtinConstitutions[0]);
const prompts = [{ id: 'a', text: 'short' }, { id: 'b', text: 'the longest prompt of all of them' }, { id: 'c', text: 'mid size' }];

/** One token per character: the arithmetic is easy to follow. */
function counter(contextTokens: number, seen: ChatMessage[][] = []): TokenCounter {
  return { contextTokens, count: async (m) => (seen.push(m), m.reduce((n, x) => n + x.content.length, 0)) };
}
const size = (n: number) => longestRequest(constitution, n, prompts[1].text, 2).reduce((t, m) => t + m.content.length, 0);

describe('the context check before a critique → revision run', () => {
  it('keeps every few-shot example asked for when they fit', async () => {
    const fit = await fitContext({ constitution, prompts, rounds: 2, maxTokens: 10, fewShot: 2 }, counter(size(2) + 30));
    expect(fit).toEqual({ ok: true, contextTokens: size(2) + 30, neededTokens: size(2) + 30, fewShotAsked: 2, fewShotUsed: 2 });
  });

  it('trims few-shot examples to what fits, counting the longest prompt with the critique and revision turns', async () => {
    const seen: ChatMessage[][] = [];
    const fit = await fitContext({ constitution, prompts, rounds: 2, maxTokens: 10, fewShot: 2 }, counter(size(1) + 30, seen));
    expect(fit.ok && fit.fewShotUsed).toBe(1);
    expect(seen[0].some((m) => m.content === prompts[1].text)).toBe(true);
    const exampleUserTurns = constitution.fewShot.slice(0, 2).flatMap((e) => e.messages).filter((m) => m.role === 'user').length;
    expect(seen[0].filter((m) => m.role === 'user').length).toBe(exampleUserTurns + 1 + 2); // examples, prompt, two requests
  });

  it('refuses when even no example fits, and says exactly what to change', async () => {
    const fit = await fitContext({ constitution, prompts, rounds: 2, maxTokens: 256, fewShot: 2 }, counter(size(0) + 300));
    expect(fit.ok).toBe(false);
    if (fit.ok) return;
    expect(fit.suggestedMaxTokens).toBe(100);
    expect(fit.promptNumber).toBe(2);
    expect(fit.advice).toContain(`takes ${size(0)} tokens, plus 3 replies of up to 256 tokens = ${size(0) + 768}, but the context holds ${size(0) + 300}`);
    expect(fit.advice).toContain('lower max tokens per reply to 100; or raise the context size to at least');
    expect(fit.advice).toContain('shorten prompt #2');
  });

  it('suggests no max tokens when too few would be left for a useful reply', async () => {
    const fit = await fitContext({ constitution, prompts, rounds: 1, maxTokens: 256, fewShot: 0 }, counter(size(0) + 20));
    expect(!fit.ok && fit.suggestedMaxTokens).toBeNull();
    expect(!fit.ok && fit.advice).not.toMatch(/lower max tokens/);
  });

  it('the run spec records the check and keeps only the examples that fit', () => {
    const contextFit = { contextTokens: 2048, neededTokens: 1900, fewShotAsked: 2, fewShotUsed: 1 };
    const spec = critiqueRunSpec({
      model: { backend: 'cpu', kind: 'file', name: 'm.gguf', size: 1 },
      constitution, promptSet: { id: 'p', name: 'P', prompts }, rounds: 2, seed: 1, fewShot: 2, contextFit,
      sampling: { temperature: 0.7, topP: 0.9, maxTokens: 256 },
    });
    expect(spec.constitution.fewShot).toHaveLength(1);
    expect(spec.contextFit).toEqual(contextFit);
  });
});
