/** Prompt sets from the runs of prompt-making recipes (those whose recipe has `madePrompts`). */
import type { Run, RunRecord } from '../run';
import { SCHEMA_VERSION, type PromptItem, type PromptSet } from '../types';
import { recipeOfRun, runPrompts } from './index';

export interface SavePromptSetOptions {
  id: string;
  now: number;
  /** Back-translation: put each original prompt before its paraphrases. */
  includeOriginals?: boolean;
}

/**
 * A new prompt set from a finished self-instruct or back-translation run. Texts that differ only in
 * case or spacing are kept once; ids are made unique within the set.
 */
export function promptSetFromRun(run: Pick<Run, 'name' | 'spec'>, records: readonly RunRecord[], opts: SavePromptSetOptions): PromptSet {
  const seen = new Set<string>();
  const ids = new Set<string>();
  const prompts: PromptItem[] = [];
  for (const p of runPrompts(run, records, opts.includeOriginals)) {
    const key = p.text.trim().replace(/\s+/g, ' ').toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    let id = p.id;
    for (let n = 2; ids.has(id); n++) id = `${p.id}-${n}`;
    ids.add(id);
    prompts.push({ ...p, id });
  }
  const noun = recipeOfRun(run.spec)?.madePrompts?.noun ?? run.spec.recipe;
  return { schemaVersion: SCHEMA_VERSION, id: opts.id, name: `Prompts from ${noun} run "${run.name}"`, prompts, updatedAt: opts.now };
}
