/**
 * Answer pairs from files people download, one parser for every use: the preference form's imported
 * pairs, the judge check's human-labelled pairs and the Datasets tab's preference rows. Shapes read:
 * - LLMBar: `{"input", "output_1", "output_2", "label": 1|2}` (label names the better output);
 * - Anthropic HH-RLHF: `{"chosen", "rejected"}` transcripts ("\n\nHuman: … \n\nAssistant: …"), whose
 *   shared turns are the prompt (multi-turn too);
 * - TRL preference rows, explicit (`prompt`) or implicit prompt (shared leading turns), as strings or
 *   message lists; UltraFeedback-binarized is one of them (string `prompt`, whole conversations in
 *   `chosen`/`rejected`, ratings in `score_chosen`/`score_rejected`);
 * - this app's own pairs: `{"prompt", "answerA", "answerB"}` (no human label).
 * A file is JSON Lines, or one JSON array (LLMBar ships arrays); a bad line or item is named by
 * number and the rest is kept. Fields are read as own properties only, so a `__proto__` key is just
 * an unknown field.
 */
import type { ChatMessage } from '../types';
import type { JsonlLineError } from './jsonl';

export type PairShape = 'llmbar' | 'hh-rlhf' | 'trl' | 'answers';

export interface LabelledPair {
  shape: PairShape;
  promptId?: string;
  /** The request; a multi-turn prompt is written out turn by turn ("User: …\n\nAssistant: …"). */
  prompt: string;
  answerA: string;
  answerB: string;
  /** Which answer people preferred: 0 = answerA, 1 = answerB; absent when the row says none. */
  better?: 0 | 1;
  /** Ratings as given, on the file's own scale (e.g. UltraFeedback's 1–10). */
  scores?: { a?: number; b?: number };
}

/** `line` is the line of a JSON Lines file, or the item number (from 1) of a JSON array. */
export interface PairError extends JsonlLineError {
  unit: 'line' | 'item';
}

export interface ParsedPairs {
  pairs: LabelledPair[];
  errors: PairError[];
}

type Row = Record<string, unknown>;

function own(row: Row, key: string): unknown {
  return Object.hasOwn(row, key) ? row[key] : undefined;
}

function isRow(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ROLES: readonly ChatMessage['role'][] = ['system', 'user', 'assistant'];

/** A string field, or a message list, as messages; a string is one turn of `role`. */
function messagesOf(value: unknown, field: string, role: ChatMessage['role']): ChatMessage[] {
  if (typeof value === 'string') return [{ role, content: value }];
  if (!Array.isArray(value)) throw new Error(`"${field}" must be text or a list of messages`);
  return value.map((m, i) => {
    const r = isRow(m) ? own(m, 'role') : undefined;
    const content = isRow(m) ? own(m, 'content') : undefined;
    if (typeof r !== 'string' || !(ROLES as readonly string[]).includes(r)) throw new Error(`"${field}[${i}].role" must be one of "system", "user", "assistant"`);
    if (typeof content !== 'string') throw new Error(`"${field}[${i}].content" must be text`);
    return { role: r as ChatMessage['role'], content };
  });
}

const sameTurn = (a: ChatMessage, b: ChatMessage) => a.role === b.role && a.content.trim() === b.content.trim();

function sharedTurns(a: readonly ChatMessage[], b: readonly ChatMessage[]): number {
  let n = 0;
  while (n < a.length && n < b.length && sameTurn(a[n], b[n])) n++;
  return n;
}

const startsWith = (list: readonly ChatMessage[], head: readonly ChatMessage[]) => head.length > 0 && sharedTurns(list, head) === head.length;

const SPEAKER: Record<ChatMessage['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

/** A single user turn is its text; more turns are written out with who said each. */
export function renderTurns(turns: readonly ChatMessage[], lone: ChatMessage['role']): string {
  if (turns.length === 1 && turns[0].role === lone) return turns[0].content;
  return turns.map((t) => `${SPEAKER[t.role]}: ${t.content}`).join('\n\n');
}

/**
 * The prompt and the two answers of two conversations that share their first turns (after an
 * explicit prompt, if given). What follows the shared turns must start with an assistant turn.
 */
export function splitConversations(prompt: ChatMessage[], chosen: ChatMessage[], rejected: ChatMessage[]): { prompt: string; a: string; b: string } {
  // UltraFeedback repeats the prompt at the head of both conversations.
  if (startsWith(chosen, prompt) && startsWith(rejected, prompt)) {
    chosen = chosen.slice(prompt.length);
    rejected = rejected.slice(prompt.length);
  }
  const shared = sharedTurns(chosen, rejected);
  const head = [...prompt, ...chosen.slice(0, shared)];
  const [a, b] = [chosen.slice(shared), rejected.slice(shared)];
  if (head.length === 0) throw new Error('no prompt: give "prompt", or start "chosen" and "rejected" with the same user turn');
  if (a.length === 0 && b.length === 0) throw new Error('"chosen" and "rejected" are the same conversation');
  if (a.length === 0 || b.length === 0) throw new Error(`"${a.length ? 'rejected' : 'chosen'}" has no reply after the turns both share`);
  if (a[0].role !== 'assistant' || b[0].role !== 'assistant') throw new Error('"chosen" and "rejected" must differ only from an assistant reply on');
  if (head[head.length - 1].role === 'assistant') throw new Error('the shared turns end with an assistant reply, not a request');
  return { prompt: renderTurns(head, 'user'), a: renderTurns(a, 'assistant'), b: renderTurns(b, 'assistant') };
}

/**
 * TRL's implicit prompt in plain text ("The sky is blue." / "The sky is green."): the words both
 * texts begin with are the prompt, the rest the answers. The cut falls after whitespace, so no word is split.
 */
export function splitTexts(chosen: string, rejected: string): { prompt: string; a: string; b: string } {
  let n = 0;
  while (n < chosen.length && n < rejected.length && chosen[n] === rejected[n]) n++;
  if (n === chosen.length && n === rejected.length) throw new Error('"chosen" and "rejected" are the same text');
  const cut = /\s/.test(chosen[n] ?? ' ') && /\s/.test(rejected[n] ?? ' ') ? n : chosen.slice(0, n).search(/\s\S*$/) + 1;
  const head = chosen.slice(0, cut).trim();
  if (cut <= 0 || !head) throw new Error('no prompt: give "prompt", start "chosen" and "rejected" with the same words, or use "\\n\\nHuman: … \\n\\nAssistant: …" transcripts');
  return { prompt: head, a: chosen.slice(cut).trim(), b: rejected.slice(cut).trim() };
}

const HH_TURN = /\n\n(Human|Assistant):[ \t]?/;

/** An HH-RLHF transcript as turns; null when the text is not one. */
export function transcriptTurns(text: string): ChatMessage[] | null {
  const body = /^(Human|Assistant):/.test(text) ? `\n\n${text}` : text;
  const parts = body.split(new RegExp(HH_TURN.source));
  if (parts.length < 3 || parts[0].trim() !== '') return null;
  const turns: ChatMessage[] = [];
  for (let i = 1; i < parts.length; i += 2) turns.push({ role: parts[i] === 'Human' ? 'user' : 'assistant', content: parts[i + 1].trim() });
  return turns;
}

function numberOr(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`"${field}" must be a number`);
  return value;
}

function text(row: Row, field: string): string {
  const v = own(row, field);
  if (typeof v !== 'string') throw new Error(`"${field}" must be text`);
  return v;
}

function llmbarPair(row: Row): LabelledPair {
  const label = own(row, 'label');
  if (label !== 1 && label !== 2) throw new Error('"label" must be 1 or 2 (the better output)');
  const prompt = text(row, 'input');
  if (!prompt.trim()) throw new Error('"input" is empty');
  return { shape: 'llmbar', prompt, answerA: text(row, 'output_1'), answerB: text(row, 'output_2'), better: label === 1 ? 0 : 1 };
}

function answersPair(row: Row): LabelledPair {
  const prompt = own(row, 'prompt');
  if (typeof prompt !== 'string' || !prompt.trim()) throw new Error('missing "prompt" text');
  const [a, b] = [own(row, 'answerA'), own(row, 'answerB')];
  if (typeof a !== 'string' || typeof b !== 'string') throw new Error('needs "answerA" and "answerB" as text');
  return { shape: 'answers', prompt, answerA: a, answerB: b };
}

function chosenRejectedPair(row: Row): LabelledPair {
  const [chosen, rejected, prompt] = [own(row, 'chosen'), own(row, 'rejected'), own(row, 'prompt')];
  const scores = { a: numberOr(own(row, 'score_chosen'), 'score_chosen'), b: numberOr(own(row, 'score_rejected'), 'score_rejected') };
  const kept = scores.a !== undefined || scores.b !== undefined ? { scores: dropUndefined(scores) } : {};
  if (prompt == null && typeof chosen === 'string' && typeof rejected === 'string') {
    const [c, r] = [transcriptTurns(chosen), transcriptTurns(rejected)];
    const split = c && r ? splitConversations([], c, r) : splitTexts(chosen, rejected);
    return { shape: c && r ? 'hh-rlhf' : 'trl', prompt: split.prompt, answerA: split.a, answerB: split.b, better: 0, ...kept };
  }
  const explicit = prompt == null ? [] : messagesOf(prompt, 'prompt', 'user');
  if (explicit.length && explicit.every((m) => !m.content.trim())) throw new Error('"prompt" is empty');
  const split = splitConversations(explicit, messagesOf(chosen, 'chosen', 'assistant'), messagesOf(rejected, 'rejected', 'assistant'));
  return { shape: 'trl', prompt: split.prompt, answerA: split.a, answerB: split.b, better: 0, ...kept };
}

function dropUndefined(scores: { a?: number; b?: number }): { a?: number; b?: number } {
  return Object.fromEntries(Object.entries(scores).filter(([, v]) => v !== undefined));
}

/** The shape a parsed row is in; null when it is none of them. */
export function pairShapeOf(row: unknown): PairShape | null {
  if (!isRow(row)) return null;
  if (['input', 'output_1', 'output_2'].some((k) => Object.hasOwn(row, k))) return 'llmbar';
  if (Object.hasOwn(row, 'answerA') || Object.hasOwn(row, 'answerB')) return 'answers';
  if (Object.hasOwn(row, 'chosen') && Object.hasOwn(row, 'rejected')) return own(row, 'prompt') == null && typeof own(row, 'chosen') === 'string' ? 'hh-rlhf' : 'trl';
  return null;
}

/** One row as a pair; throws an Error naming the field that is wrong. */
export function pairOfRow(row: unknown): LabelledPair {
  const shape = pairShapeOf(row);
  if (!isRow(row)) throw new Error('expected a JSON object');
  if (shape === null) throw new Error('not a pair: expected "chosen" and "rejected", "input"/"output_1"/"output_2"/"label", or "prompt"/"answerA"/"answerB"');
  const pair = shape === 'llmbar' ? llmbarPair(row) : shape === 'answers' ? answersPair(row) : chosenRejectedPair(row);
  const id = own(row, 'id') ?? own(row, 'prompt_id');
  if (typeof id === 'string' || typeof id === 'number') pair.promptId = String(id);
  return pair;
}

/** A whole file: a JSON array of rows, or JSON Lines. */
export function parsePairsFile(fileText: string): ParsedPairs {
  const body = fileText.replace(/^\uFEFF/, '');
  const pairs: LabelledPair[] = [];
  const errors: PairError[] = [];
  const add = (row: unknown, line: number, unit: PairError['unit']) => {
    try {
      pairs.push(pairOfRow(row));
    } catch (e) {
      errors.push({ line, unit, message: (e as Error).message });
    }
  };
  if (body.trimStart().startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(body);
    } catch (e) {
      throw new Error(`not a JSON array: ${(e as Error).message}`);
    }
    (items as unknown[]).forEach((row, i) => add(row, i + 1, 'item'));
    return { pairs, errors };
  }
  body.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      errors.push({ line: i + 1, unit: 'line', message: (e as Error).message });
      return;
    }
    add(row, i + 1, 'line');
  });
  return { pairs, errors };
}

/** "Line 4: …" or "Item 4: …". */
export function pairErrorText(error: PairError): string {
  return `${error.unit === 'item' ? 'Item' : 'Line'} ${error.line}: ${error.message}`;
}
