import { describe, expect, it } from 'vitest';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { samplePromptSet } from '../../src/core/builtins/prompts';
import {
  appendPrompts,
  blankConstitution,
  constitutionIssues,
  copyConstitution,
  copyName,
  copyPromptSet,
  moved,
  nextId,
  parseTags,
  uniqueId,
  uniqueName,
} from '../../src/core/library-edit';
import { restoreConstitution, restorePromptSet } from '../../src/core/schema/restore';

describe('names and ids', () => {
  it('numbers repeats and strips the built-in mark from copies', () => {
    expect(uniqueName('Mine', ['Mine', 'Mine (2)'])).toBe('Mine (3)');
    expect(uniqueName('  ', [])).toBe('Untitled');
    expect(uniqueId('p1', ['p1', 'p1-2'])).toBe('p1-3');
    expect(copyName('Helpful & harmless (built-in)')).toBe('Helpful & harmless');
    expect(copyName('Mine')).toBe('Mine (copy)');
    expect(nextId('p', [{ id: 'p2' }, { id: 'x' }])).toBe('p3');
    expect(nextId('p', [{ id: 'p1' }])).toBe('p2');
    expect(nextId('p', [{ id: 'p2' }])).toBe('p2-2');
  });
});

describe('copies', () => {
  it('a copy of a built-in is editable, deep and valid for storage', () => {
    const copy = copyConstitution(harmlessConstitution, 'mine', 'Mine', 7);
    expect(copy.builtin).toBeUndefined();
    expect(harmlessConstitution.builtin).toBe(true);
    copy.principles[0].critique = 'changed';
    expect(harmlessConstitution.principles[0].critique).not.toBe('changed');
    expect(restoreConstitution(copy)).toEqual(copy);
    const set = copyPromptSet(samplePromptSet, 's', 'S', 1);
    expect(set.builtin).toBeUndefined();
    expect(restorePromptSet(set)).toEqual(set);
  });

  it('a blank constitution stores and has one principle to fill in', () => {
    const c = blankConstitution('new', 'New', 3);
    expect(restoreConstitution(c)).toEqual(c);
    expect(c.principles).toHaveLength(1);
  });
});

describe('moved', () => {
  it('moves one item, clamped at the ends', () => {
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
  });
});

describe('appendPrompts and tags', () => {
  it('skips texts already in the set and keeps ids unique', () => {
    const { prompts, skipped } = appendPrompts(
      [{ id: 'a1', text: 'Hello there' }],
      [
        { id: 'a1', text: 'Something new' },
        { id: 'a2', text: '  hello   THERE ' },
        { id: 'a3', text: 'something new' },
      ],
    );
    expect(prompts).toEqual([{ id: 'a1', text: 'Hello there' }, { id: 'a1-2', text: 'Something new' }]);
    expect(skipped).toBe(2);
    expect(parseTags(' a, b ,,a, c ')).toEqual(['a', 'b', 'c']);
  });

  it('stays linear for a big import whose ids all collide', () => {
    const existing = Array.from({ length: 100_000 }, (_, i) => ({ id: `i${i}`, text: `old ${i}` }));
    const added = Array.from({ length: 100_000 }, (_, i) => ({ id: `i${i}`, text: `new ${i}` }));
    const started = performance.now();
    const { prompts } = appendPrompts(existing, added);
    // A guard against quadratic renaming (minutes at this size), not a speed goal: linear takes well
    // under a second, so the wide bound holds on a busy machine.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(new Set(prompts.map((p) => p.id)).size).toBe(200_000);
  });
});

describe('constitutionIssues', () => {
  it('the built-in has none', () => {
    expect(constitutionIssues(harmlessConstitution)).toEqual({});
  });

  it('names each empty or clashing field', () => {
    const c = copyConstitution(harmlessConstitution, 'x', '', 1);
    c.principles[0].critique = '  ';
    c.principles[1].name = c.principles[0].name;
    c.principles[2].comparison = '';
    c.fewShot[0].messages[1].content = '';
    const issues = constitutionIssues(c);
    expect(issues.name).toMatch(/name/);
    expect(issues[`principle:${c.principles[0].id}:critique`]).toMatch(/critique request is empty/);
    expect(issues[`principle:${c.principles[1].id}:name`]).toMatch(/same name/);
    expect(issues[`principle:${c.principles[2].id}:comparison`]).toMatch(/comparison question is empty/);
    expect(issues[`fewShot:${c.fewShot[0].id}:1`]).toMatch(/empty/);
    expect(issues.principles).toBeUndefined();
  });

  it('asks for an enabled principle', () => {
    const c = copyConstitution(harmlessConstitution, 'x', 'X', 1);
    c.principles.forEach((p) => (p.enabled = false));
    expect(constitutionIssues(c).principles).toMatch(/at least one principle/);
    expect(constitutionIssues({ ...c, principles: [] }).principles).toMatch(/Add at least one/);
  });
});
