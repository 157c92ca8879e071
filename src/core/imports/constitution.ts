/**
 * Constitution import and export. Four shapes are read (see `ConstitutionFormat`); every one becomes
 * a complete `Constitution`, or an ImportError naming the file and the field that is wrong.
 * Values are copied field by field into fresh objects, so unknown keys (`__proto__` included) are
 * simply never read.
 */
import { SCHEMA_VERSION, type ChatMessage, type Constitution, type FewShotExample, type Principle } from '../types';
import { decodeText, ImportError, type TextInput } from './decode';
import { JsonReader, parseJsonText } from './json';

/** Marker of this product's own files. */
export const CONSTITUTION_FORMAT = 'cai-lab.constitution';

export type ConstitutionFormat =
  /** This product's versioned file, written by `exportConstitution`. */
  | 'cai-lab'
  /** Hugging Face llm-swarm: `{constitutions:[{critic, revision}], system_chat:[[message…]…]}`. */
  | 'llm-swarm'
  /** The CAI paper's critique/revision map: `{key: {prompt: [critique], edit_request: revision}}`. */
  | 'critique-map'
  /** The CAI paper's comparison list: an array of judge questions. */
  | 'comparison-list';

export interface ConstitutionImportOptions {
  /** File name, used in every message and for the default name. */
  file: string;
  /** Id of the new constitution; by default derived from the file's content. Own-format files keep theirs. */
  id?: string;
  name?: string;
  now?: number;
  /** Comparison list only: merge its texts, by position, into a copy of this constitution. */
  mergeInto?: Constitution;
  maxBytes?: number;
}

export interface ConstitutionImport {
  constitution: Constitution;
  format: ConstitutionFormat;
  warnings: string[];
}

/** Constitutions are small; a cap keeps a mistaken multi-megabyte file from freezing the editor. */
const MAX_BYTES = 4 * 1024 * 1024;
const MAX_TEXT = 20_000;
const MAX_ITEMS = 1_000;

/**
 * The JSON text of this product's own file, keys in a fixed order so exports diff cleanly.
 * `builtin` is left out: an imported copy is always editable.
 */
export function exportConstitution(c: Constitution): string {
  const file = {
    format: CONSTITUTION_FORMAT,
    schemaVersion: SCHEMA_VERSION,
    id: c.id,
    name: c.name,
    description: c.description,
    updatedAt: c.updatedAt,
    principles: c.principles.map((p) => ({
      id: p.id,
      name: p.name,
      critique: p.critique,
      revision: p.revision,
      comparison: p.comparison,
      ...(p.contrast ? { contrast: { positive: p.contrast.positive, negative: p.contrast.negative } } : {}),
      enabled: p.enabled,
    })),
    fewShot: c.fewShot.map((f) => ({ id: f.id, messages: f.messages.map((m) => ({ role: m.role, content: m.content })) })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Which known shape a parsed JSON value has, or null. */
export function detectConstitutionFormat(value: unknown): ConstitutionFormat | null {
  if (Array.isArray(value)) {
    return value.length > 0 && value.every((v) => typeof v === 'string') ? 'comparison-list' : null;
  }
  const r = new JsonReader('', value);
  if (!r.isObject()) return null;
  if (r.get('format').value === CONSTITUTION_FORMAT) return 'cai-lab';
  if (Array.isArray(r.get('principles').value) && typeof r.get('schemaVersion').value === 'number') return 'cai-lab';
  if (r.has('constitutions')) return 'llm-swarm';
  const keys = r.keys();
  const looksLikeEntry = (k: string) => {
    const e = r.get(k);
    return e.has('edit_request') || e.has('prompt');
  };
  return keys.length > 0 && keys.some(looksLikeEntry) ? 'critique-map' : null;
}

/** Reads a constitution file in any known format. Throws ImportError when it cannot. */
export function importConstitution(input: TextInput, opts: ConstitutionImportOptions): ConstitutionImport {
  const text = decodeText(input, opts.file, { maxBytes: opts.maxBytes ?? MAX_BYTES });
  return importConstitutionValue(parseJsonText(text, opts.file), opts, text);
}

/** Same as importConstitution, for a value already parsed. `text` only seeds the default id. */
export function importConstitutionValue(value: unknown, opts: ConstitutionImportOptions, text = ''): ConstitutionImport {
  const format = detectConstitutionFormat(value);
  const root = new JsonReader(opts.file, value);
  const warnings: string[] = [];
  const base = () => blank(opts, text || JSON.stringify(value) || '');
  switch (format) {
    case 'cai-lab':
      return { format, warnings, constitution: readOwn(root, warnings) };
    case 'llm-swarm':
      return { format, warnings, constitution: readSwarm(root, base(), warnings) };
    case 'critique-map':
      return { format, warnings, constitution: readCritiqueMap(root, base(), warnings) };
    case 'comparison-list':
      return { format, warnings, constitution: readComparisons(root, opts.mergeInto ?? null, base(), warnings) };
    default:
      throw new ImportError({
        file: opts.file,
        problem:
          'is not a constitution file this app knows: expected its own export, an llm-swarm file ' +
          '({"constitutions": […]}), a critique/revision map or a list of comparison questions',
      });
  }
}

/** The shell of a new constitution from a foreign format. */
function blank(opts: ConstitutionImportOptions, text: string): Constitution {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: opts.id ?? `imported-${hash(text)}`,
    name: opts.name ?? nameFromFile(opts.file),
    description: `Imported from ${opts.file}`,
    principles: [],
    fewShot: [],
    updatedAt: opts.now ?? Date.now(),
  };
}

function readOwn(r: JsonReader, warnings: string[]): Constitution {
  const version = r.get('schemaVersion').num();
  if (version > SCHEMA_VERSION) r.get('schemaVersion').fail(`is ${version}: the file was written by a newer version of this app`);
  if (r.get('format').value === undefined) warnings.push('The file has no "format" marker; it was read as this app\'s own format.');
  const principles = limited(r.get('principles')).map((p) => ({
    id: text(p.get('id')),
    name: text(p.get('name')),
    critique: text(p.get('critique')),
    revision: text(p.get('revision')),
    comparison: text(p.get('comparison')),
    // Files written before contrast pairs existed have none: the library writes defaults on read.
    ...(p.has('contrast') ? { contrast: { positive: text(p.get('contrast').get('positive')), negative: text(p.get('contrast').get('negative')) } } : {}),
    enabled: p.get('enabled').bool(),
  }));
  const seen = new Set<string>();
  principles.forEach((p, i) => {
    if (seen.has(p.id)) r.get('principles').items()[i].get('id').fail(`"${p.id.slice(0, 40)}" is used by an earlier principle`);
    seen.add(p.id);
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    id: text(r.get('id')),
    name: text(r.get('name')),
    description: text(r.get('description')),
    principles,
    fewShot: limited(r.get('fewShot')).map((f) => ({ id: text(f.get('id')), messages: readMessages(f.get('messages')) })),
    updatedAt: r.get('updatedAt').num(),
  };
}

function readSwarm(r: JsonReader, c: Constitution, warnings: string[]): Constitution {
  const entries = limited(r.get('constitutions'));
  if (entries.length === 0) r.get('constitutions').fail('is empty: there is no principle to import');
  c.principles = entries.map((e, i) => {
    const critique = text(e.get('critic'));
    const revision = text(e.get('revision'));
    const comparison = e.has('comparison') ? text(e.get('comparison')) : defaultComparison(critique);
    return principle(`p${i + 1}`, nameFromRequest(revision, i), critique, revision, comparison);
  });
  if (entries.some((e) => !e.has('comparison'))) warnings.push(DEFAULT_COMPARISON_NOTE);
  if (r.has('system_chat')) c.fewShot = limited(r.get('system_chat')).map((chat, i) => fewShot(`fs${i + 1}`, chat));
  else warnings.push('The file has no "system_chat" examples; the constitution has no few-shot examples.');
  return c;
}

function readCritiqueMap(r: JsonReader, c: Constitution, warnings: string[]): Constitution {
  const keys = r.keys();
  if (keys.length > MAX_ITEMS) r.fail(`has ${keys.length} entries; at most ${MAX_ITEMS} are allowed`);
  const names = new UniqueNames();
  const ids = new UniqueNames((n) => `-${n}`);
  const entries = keys.filter((key) => {
    const e = r.get(key);
    const known = e.has('prompt') || e.has('edit_request');
    if (!known) warnings.push(`Skipped "${key.slice(0, 40)}": it is not a critique/revision entry.`);
    return known;
  });
  c.principles = entries.map((key, i) => {
    const e = r.get(key);
    const prompts = e.get('prompt');
    const requests = Array.isArray(prompts.value) ? prompts.items() : [prompts];
    if (requests.length === 0) prompts.fail('is empty: it must hold the critique request');
    if (requests.length > 1) warnings.push(`${prompts.path} holds ${requests.length} critique requests; only the first was used.`);
    const critique = unframe(text(requests[0]), 'critique');
    const revision = unframe(text(e.get('edit_request')), 'revision');
    const id = ids.take(slug(key) || `p${i + 1}`);
    return principle(id, names.take(nameFromKey(key) || `Principle ${i + 1}`), critique, revision, defaultComparison(critique));
  });
  warnings.push(DEFAULT_COMPARISON_NOTE);
  return c;
}

function readComparisons(r: JsonReader, into: Constitution | null, c: Constitution, warnings: string[]): Constitution {
  const texts = limited(r).map((item) => unframe(text(item), 'comparison'));
  if (!into) {
    c.principles = texts.map((t, i) => principle(`c${i + 1}`, `Comparison ${i + 1}`, '', '', t));
    warnings.push('This is a comparison-only constitution: it can judge preference pairs, but it has no critique or revision texts.');
    return c;
  }
  const merged = structuredClone(into);
  delete merged.builtin;
  merged.principles.forEach((p, i) => {
    if (i < texts.length) p.comparison = texts[i];
  });
  if (texts.length > merged.principles.length) {
    warnings.push(`${texts.length - merged.principles.length} comparison texts had no principle at their position and were left out.`);
  } else if (texts.length < merged.principles.length) {
    warnings.push(`Only the first ${texts.length} of ${merged.principles.length} principles got a new comparison text.`);
  }
  merged.updatedAt = c.updatedAt;
  return merged;
}

const DEFAULT_COMPARISON_NOTE =
  'The file has no comparison (judge) questions; each was written from the principle\'s critique request. Review them before a preference run.';

/** A judge question built from a critique request, in this project's words. */
export function defaultComparison(critique: string): string {
  const request = critique.trim();
  if (!request) return '';
  return `Keep this review request in mind: "${request}" Judged that way, which of the two assistant responses is better?`;
}

function principle(id: string, name: string, critique: string, revision: string, comparison: string): Principle {
  return { id, name, critique, revision, comparison, enabled: true };
}

function fewShot(id: string, chat: JsonReader): FewShotExample {
  const messages = readMessages(chat);
  if (messages.length === 0) chat.fail('is an empty conversation');
  return { id, messages };
}

const ROLES: readonly string[] = ['system', 'user', 'assistant'];

function readMessages(r: JsonReader): ChatMessage[] {
  return limited(r).map((m) => {
    const role = m.get('role');
    if (!ROLES.includes(role.value as string)) role.fail('must be "system", "user" or "assistant"');
    return { role: role.value as ChatMessage['role'], content: text(m.get('content')) };
  });
}

function text(r: JsonReader): string {
  const s = r.str();
  if (s.length > MAX_TEXT) r.fail(`is ${s.length} characters long; at most ${MAX_TEXT} are allowed`);
  return s;
}

function limited(r: JsonReader): JsonReader[] {
  const items = r.items();
  if (items.length > MAX_ITEMS) r.fail(`has ${items.length} items; at most ${MAX_ITEMS} are allowed`);
  return items;
}

/**
 * Strips the paper files' framing: a leading "CritiqueRequest:"-style label, a trailing
 * "Critique:"/"Revision:"/"Options:" cue (our own templates add their cues), and blank-line padding.
 */
export function unframe(s: string, kind: 'critique' | 'revision' | 'comparison'): string {
  const lead = kind === 'comparison' ? /^\s*(?:comparison\s*request|comparison)\s*:\s*/i : /^\s*(?:critique|revision)\s*request\s*:\s*/i;
  const tail = { critique: /\n\s*critique\s*:\s*$/i, revision: /\n\s*revision\s*:\s*$/i, comparison: /\s*options\s*:\s*$/i }[kind];
  return s.trim().replace(lead, '').replace(tail, '').trim();
}

/**
 * "Principle 3: <gist>", the gist being what the revision request asks for once its lead-in
 * ("Please rewrite the response so as to …") is gone. Numbered, so names stay unique and ordered.
 */
export function nameFromRequest(revision: string, i: number): string {
  let gist = revision.trim().replace(/^please\s+/i, '');
  // Drop everything up to the first mention of "response" in the opening words.
  const lead = /^(?:[^\s,]+\s+){0,7}?(?:response|answer)\b[,\s]*/i.exec(gist);
  if (lead) gist = gist.slice(lead[0].length);
  gist = gist.replace(/^(?:if possible\s+)?(?:so as to|so that it(?:'s| is)?|so that|that|to)\s+/i, '');
  const words = gist.split(/\s+/).filter(Boolean);
  let short = words.slice(0, 7).join(' ').replace(/[.,;:!?]+$/, '');
  if (words.length > 7) short += '…';
  return short.length >= 3 ? `Principle ${i + 1}: ${short[0].toUpperCase()}${short.slice(1)}` : `Principle ${i + 1}`;
}

/** "harmful_advice2" → "Harmful advice 2". */
function nameFromKey(key: string): string {
  const words = key.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/[_\-\s]+/g, ' ').trim().slice(0, 60);
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

function slug(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

function nameFromFile(file: string): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/[_-]+/g, ' ').trim();
  return base ? base[0].toUpperCase() + base.slice(1) : 'Imported constitution';
}

/** Hands out each name once, numbering repeats ("Name (2)"), since the editor lists by name. */
class UniqueNames {
  private used = new Set<string>();
  constructor(private readonly suffix = (n: number) => ` (${n})`) {}
  take(name: string): string {
    let out = name;
    for (let n = 2; this.used.has(out); n++) out = name + this.suffix(n);
    this.used.add(out);
    return out;
  }
}

/** FNV-1a, for a stable default id: importing the same file twice yields the same id. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
