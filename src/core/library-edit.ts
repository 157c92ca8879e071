/**
 * Pure helpers behind the library editor: new and copied constitutions and prompt sets, unique
 * names and ids, moving items, and the validation messages shown next to each field.
 */
import { SCHEMA_VERSION, type Constitution, type FewShotExample, type Principle, type PromptItem, type PromptSet, type PromptSetHead } from './types';

/** "Name", or "Name (2)", "Name (3)"… whichever is not taken yet. */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = base.trim() || 'Untitled';
  let name = stem;
  for (let n = 2; used.has(name); n++) name = `${stem} (${n})`;
  return name;
}

/** The name of a set imported from a file: the file's name without folders and extension ("my-prompts.csv" → "my-prompts"). */
export function nameFromFileName(file: string, fallback = 'Imported prompts'): string {
  const base = file.replace(/^.*[\\/]/, '');
  const stem = base.replace(/\.[^.]*$/, '').trim();
  return stem || base.trim() || fallback;
}

/** An id not in `taken`, from `base`. Pass a Set when calling in a loop (it is used as it is). */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = taken instanceof Set ? (taken as ReadonlySet<string>) : new Set(taken);
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The name of a copy: built-ins lose their "(built-in)" mark, others get "copy". */
export function copyName(name: string): string {
  const plain = name.replace(/\s*\(built-in\)\s*$/i, '').trim();
  return plain === name.trim() ? `${plain} (copy)` : plain;
}

export function blankPrinciple(id: string): Principle {
  return { id, name: 'New principle', critique: '', revision: '', comparison: '', enabled: true };
}

export function blankExample(id: string): FewShotExample {
  return {
    id,
    messages: [
      { role: 'user', content: '' },
      { role: 'assistant', content: '' },
    ],
  };
}

export function blankConstitution(id: string, name: string, now: number): Constitution {
  return { schemaVersion: SCHEMA_VERSION, id, name, description: '', principles: [blankPrinciple('p1')], fewShot: [], updatedAt: now };
}

/** An editable deep copy under a new id and name. */
export function copyConstitution(c: Constitution, id: string, name: string, now: number): Constitution {
  const copy = structuredClone(c);
  delete copy.builtin;
  return { ...copy, id, name, updatedAt: now };
}

export function blankPromptSet(id: string, name: string, now: number): PromptSet {
  return { schemaVersion: SCHEMA_VERSION, id, name, prompts: [], updatedAt: now };
}

/** A set's head: everything but its prompts, which a list or a picker never needs. */
export function promptSetHead(set: PromptSet): PromptSetHead {
  const { prompts, ...rest } = set;
  return { ...rest, count: prompts.length };
}

export function copyPromptSet(p: PromptSet, id: string, name: string, now: number): PromptSet {
  const copy = structuredClone(p);
  delete copy.builtin;
  return { ...copy, id, name, updatedAt: now };
}

/** A copy of `items` with item `i` moved by `delta` places (clamped); the same array when it cannot move. */
export function moved<T>(items: readonly T[], i: number, delta: number): T[] {
  const j = Math.max(0, Math.min(items.length - 1, i + delta));
  if (i < 0 || i >= items.length || j === i) return [...items];
  const out = [...items];
  const [item] = out.splice(i, 1);
  out.splice(j, 0, item);
  return out;
}

/** Tags typed as "a, b,  c" → ["a", "b", "c"], each once. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

/** Prompts added to a set: texts already in it (ignoring case and spacing) are skipped; ids stay unique. */
export function appendPrompts(set: readonly PromptItem[], added: readonly PromptItem[]): { prompts: PromptItem[]; skipped: number } {
  const key = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();
  const texts = new Set(set.map((p) => key(p.text)));
  const ids = new Set(set.map((p) => p.id));
  const prompts = [...set];
  let skipped = 0;
  for (const p of added) {
    if (texts.has(key(p.text))) {
      skipped++;
      continue;
    }
    const id = uniqueId(p.id, ids);
    ids.add(id);
    texts.add(key(p.text));
    prompts.push({ ...p, id });
  }
  return { prompts, skipped };
}

/**
 * Problems to show next to fields, keyed by field: `name`, `principles`, `principle:<id>:<field>`,
 * `fewShot:<id>` and `fewShot:<id>:<message index>`. Advisory: a constitution with problems is still
 * saved, and the run forms refuse what a run cannot use.
 */
export function constitutionIssues(c: Constitution): Record<string, string> {
  const issues: Record<string, string> = {};
  if (!c.name.trim()) issues.name = 'Give the constitution a name.';
  if (c.principles.length === 0) issues.principles = 'Add at least one principle.';
  else if (!c.principles.some((p) => p.enabled)) issues.principles = 'Switch on at least one principle: runs draw only from enabled ones.';
  const names = new Map<string, number>();
  for (const p of c.principles) names.set(p.name.trim().toLowerCase(), (names.get(p.name.trim().toLowerCase()) ?? 0) + 1);
  for (const p of c.principles) {
    const at = (field: string) => `principle:${p.id}:${field}`;
    if (!p.name.trim()) issues[at('name')] = 'Give the principle a name.';
    else if ((names.get(p.name.trim().toLowerCase()) ?? 0) > 1) issues[at('name')] = 'Another principle has the same name.';
    if (!p.critique.trim()) issues[at('critique')] = 'The critique request is empty: critique → revision runs need one.';
    if (!p.revision.trim()) issues[at('revision')] = 'The revision request is empty: critique → revision runs need one.';
    if (!p.comparison.trim()) issues[at('comparison')] = 'The comparison question is empty: preference runs need one.';
  }
  for (const ex of c.fewShot) {
    if (ex.messages.length === 0) issues[`fewShot:${ex.id}`] = 'This example has no messages.';
    else if (ex.messages[0].role === 'assistant') issues[`fewShot:${ex.id}`] = 'An example should start with a user (or system) message.';
    ex.messages.forEach((m, i) => {
      if (!m.content.trim()) issues[`fewShot:${ex.id}:${i}`] = 'This message is empty.';
    });
  }
  return issues;
}

/** An id of the form `<prefix><n>` that no item uses yet. */
export function nextId(prefix: string, items: readonly { id: string }[]): string {
  return uniqueId(`${prefix}${items.length + 1}`, items.map((i) => i.id));
}
