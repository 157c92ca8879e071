import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { nameFromFileName, uniqueName } from '../../src/core/library-edit';
import { SCHEMA_VERSION, type PromptSet } from '../../src/core/types';
import { getPromptSet, resetStoreForTests, savePromptSet } from '../../src/storage';
import { addPromptImport, dropPromptImport, listPromptSetHeads, PREVIEW_ROWS, previewPromptImport, readPromptSlice } from '../../src/worker/prompt-sets';

const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `Prompt number ${from + i}`).join('\n');

async function preview(text: string, file = 'big.txt', intoSetId?: string) {
  const out = await previewPromptImport(text, { file, idPrefix: 'i-' }, intoSetId);
  if (!out.ok) throw new Error(out.error.message);
  return out.value;
}

beforeEach(() => resetStoreForTests());

describe('prompt imports held in the worker', () => {
  it('the preview carries counts, line errors and a few rows, never the whole list', async () => {
    const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => JSON.stringify({ prompt: `Prompt number ${from + i}` }));
    const p = await preview([...rows(3000), '{"prompt": broken', ...rows(10, 3000)].join('\n'), 'big.jsonl');
    expect(p.count).toBe(3010);
    expect(p.sample).toHaveLength(PREVIEW_ROWS);
    expect(p.sample[0].text).toBe('Prompt number 0');
    expect(p).not.toHaveProperty('prompts');
    expect(p.errors).toEqual([expect.objectContaining({ line: 3001 })]);
    // Small enough to copy to the page in a moment, whatever the file's size.
    expect(JSON.stringify(p).length).toBeLessThan(2_000);
  });

  it('"Add" merges into the stored set and writes it; nothing already stored is lost; duplicates are skipped', async () => {
    const stored: PromptSet = { schemaVersion: SCHEMA_VERSION, id: 'set-1', name: 'Mine', updatedAt: 1, prompts: [{ id: 'a', text: 'Prompt number 1', tags: ['keep'] }, { id: 'b', text: 'Kept as it was' }] };
    await savePromptSet(stored);
    const p = await preview(lines(5), 'more.txt', 'set-1');
    // Prompt number 1 is in the set already: counted in the preview, not added.
    expect(p.count).toBe(4);
    expect(p.duplicates).toBe(1);
    const added = await addPromptImport(p.importId, { kind: 'into', setId: 'set-1' }, ['extra']);
    expect(added).toMatchObject({ added: 4, skipped: 0, set: { id: 'set-1', name: 'Mine', count: 6 } });
    expect(added.set).not.toHaveProperty('prompts');
    const saved = (await getPromptSet('set-1'))!;
    expect(saved.prompts.slice(0, 2)).toEqual(stored.prompts);
    expect(saved.prompts.slice(2).map((x) => x.text)).toEqual(['Prompt number 0', 'Prompt number 2', 'Prompt number 3', 'Prompt number 4']);
    expect(saved.prompts[2].tags).toEqual(['extra']);
    // The import is forgotten once added.
    await expect(addPromptImport(p.importId, { kind: 'into', setId: 'set-1' }, [])).rejects.toThrow(/choose the file again/);
  });

  it('a new set from a file, read back in slices', async () => {
    const p = await preview(lines(12_345), 'my-prompts.txt');
    const { set } = await addPromptImport(p.importId, { kind: 'new', id: 'new-1', name: 'my-prompts' }, []);
    expect(set).toMatchObject({ id: 'new-1', name: 'my-prompts', count: 12_345 });
    const slices = [];
    for (let from = 0; from < set.count; from += 5000) slices.push(...(await readPromptSlice(set.id, set.updatedAt, from, 5000)));
    expect(slices.map((x) => x.text)).toEqual((await getPromptSet('new-1'))!.prompts.map((x) => x.text));
    await expect(readPromptSlice(set.id, set.updatedAt - 1, 0, 10)).rejects.toThrow(/changed/);
  });

  it('a dropped import cannot be added', async () => {
    const p = await preview(lines(2));
    dropPromptImport(p.importId);
    await expect(addPromptImport(p.importId, { kind: 'new', id: 'x', name: 'x' }, [])).rejects.toThrow(/no longer held/);
  });
});

describe('an imported set is named after its file', () => {
  it('drops folders and the extension; a clash gets " (2)"', () => {
    expect(nameFromFileName('my-prompts.csv')).toBe('my-prompts');
    expect(nameFromFileName('C:\\data\\red team.v2.jsonl')).toBe('red team.v2');
    expect(nameFromFileName('.jsonl')).toBe('.jsonl');
    expect(nameFromFileName('')).toBe('Imported prompts');
    expect(uniqueName(nameFromFileName('my-prompts.csv'), ['my-prompts'])).toBe('my-prompts (2)');
  });
});

describe('the heads the page lists', () => {
  it('name every stored set with its count, by name, and carry no prompts', async () => {
    const prompts = Array.from({ length: 2500 }, (_, i) => ({ id: `p${i}`, text: `Prompt number ${i}` }));
    // Saving stamps the time it was written.
    const b = await savePromptSet({ schemaVersion: SCHEMA_VERSION, id: 'set-b', name: 'Big', updatedAt: 0, prompts });
    const a = await savePromptSet({ schemaVersion: SCHEMA_VERSION, id: 'set-a', name: 'Aardvark', updatedAt: 0, prompts: prompts.slice(0, 2) });
    const heads = await listPromptSetHeads();
    expect(heads).toEqual([
      { schemaVersion: SCHEMA_VERSION, id: 'set-a', name: 'Aardvark', updatedAt: a.updatedAt, count: 2 },
      { schemaVersion: SCHEMA_VERSION, id: 'set-b', name: 'Big', updatedAt: b.updatedAt, count: 2500 },
    ]);
    // The page reads a set's prompts from a head, in slices.
    expect((await readPromptSlice('set-b', heads[1].updatedAt, 2000, 1000)).map((p) => p.id)).toEqual(prompts.slice(2000).map((p) => p.id));
  });
});
