/**
 * Imports a JSONL dataset so it can be reviewed, re-judged, merged or re-exported:
 * - the full trace (traceRows in sft.ts): each line is a stored record of any recipe plus `run`;
 *   re-imported exactly, through the same checks and migrations as records read from IndexedDB;
 * - Hugging Face CAI columns (cai-columns.ts): a critique record with one round;
 * - TRL conversational SFT (`messages`): a critique record whose initial and final answers are
 *   the assistant turn, with no rounds;
 * - answer pairs in any shape formats/pairs.ts reads (TRL preference rows with an explicit or
 *   implicit prompt, strings or message lists; UltraFeedback-binarized; HH-RLHF transcripts; LLMBar):
 *   a preference record with no judgements, whose label says answer 1 (the one people chose) won;
 *   scores are kept as given (ratings too), and become the label's probability when they are one.
 * Records made from foreign rows carry `source: 'import'`. The file's format is set by its first
 * good line; a bad line is reported by number and skipped.
 */
import { restoreRecord } from '../schema/restore';
import { traceRecord } from './trace';
import { Reader, isObj, type Obj } from '../schema/validate';
import { hash32 } from '../dedupe';
import type { ImportedPair, PreferenceRecord } from '../recipes/preference/types';
import { recipeOf } from '../recipes/index';
import { SCHEMA_VERSION, type ChatMessage } from '../types';
import type { RunRecord } from '../run';
import type { JsonlLineError } from './jsonl';
import { pairOfRow, pairShapeOf } from './pairs';

export type ImportFormat = 'trace' | 'cai' | 'sft' | 'preference';

export interface PreferenceScores {
  chosen?: number;
  rejected?: number;
}

/** Import marks; stored records keep them (preference records keep unknown fields as stored). */
export interface ImportMarks {
  source?: 'import';
  /** TRL's score_chosen / score_rejected, as given. */
  scores?: PreferenceScores;
}

/** Any record kind: a full trace may hold records of every recipe. */
export type ImportedRecord = RunRecord & ImportMarks;

/** The `run` object of a full-trace line: a summary of the run's spec, whatever its recipe. */
export interface TraceRunInfo {
  id: string;
  name: string;
  recipe: string;
  [setting: string]: unknown;
}

export interface ImportOptions {
  /** Run id given to records made from SFT, preference and CAI lines (trace lines keep theirs). */
  runId: string;
  /** createdAt for those records; defaults to the time of import. */
  now?: number;
}

export interface ImportResult {
  format: ImportFormat | null;
  records: ImportedRecord[];
  /** Distinct runs named by trace lines, in order of first appearance. */
  runs: TraceRunInfo[];
  errors: JsonlLineError[];
}

/** Which format a parsed line is in; CAI rows also have `messages`/`chosen`, so they are tested first. */
export function detectFormat(row: unknown): ImportFormat | null {
  if (!isObj(row)) return null;
  if (isObj(row.run) && typeof row.runId === 'string' && 'schemaVersion' in row) return 'trace';
  if ('init_prompt' in row) return 'cai';
  if (pairShapeOf(row) === 'llmbar' || ('chosen' in row && 'rejected' in row)) return 'preference';
  if ('messages' in row) return 'sft';
  return null;
}

const ROLES = ['system', 'user', 'assistant'] as const;

function readMessages(r: Reader, field: string): ChatMessage[] {
  return r.items(field).map((m) => ({ role: m.oneOf('role', ROLES), content: m.str('content') }));
}

/** A single user turn followed by an assistant turn: the only conversation a record can hold. */
function promptAndAnswer(r: Reader, field: string): { prompt: string; answer: string } {
  const msgs = readMessages(r, field);
  if (msgs.length !== 2 || msgs[0]!.role !== 'user' || msgs[1]!.role !== 'assistant') {
    return r.fail(field, 'one user turn then one assistant turn (system and multi-turn chats are not supported)');
  }
  return { prompt: msgs[0]!.content, answer: msgs[1]!.content };
}

function fromTrace(row: Obj): { record: ImportedRecord; run: TraceRunInfo } {
  const { run, ...rest } = row;
  const r = new Reader('trace line', run as Obj, 'run.');
  const info: TraceRunInfo = { ...(run as Obj), id: r.str('id'), name: r.str('name'), recipe: r.str('recipe') };
  // Nulls stand for fields the record did not have (stable columns, trace.ts): drop them first.
  const record: ImportedRecord = restoreRecord(traceRecord(rest));
  // restoreRecord may rebuild a record from the fields its recipe knows; keep an import's marks so a re-export stays exact.
  if (rest.source === 'import') record.source = 'import';
  if (isObj(rest.scores)) record.scores = readScores(new Reader('trace line', rest.scores), 'chosen', 'rejected');
  return { record, run: info };
}

function readScores(r: Reader, chosen: string, rejected: string): PreferenceScores {
  const scores: PreferenceScores = {};
  if (r.has(chosen)) scores.chosen = r.num(chosen);
  if (r.has(rejected)) scores.rejected = r.num(rejected);
  return scores;
}

/** The fields every record made from a foreign row shares. */
interface Ids {
  schemaVersion: number;
  id: string;
  runId: string;
  index: number;
  promptId: string;
  usage: { promptTokens: number; completionTokens: number; ms: number };
  createdAt: number;
  source: 'import';
}

function fromSft(r: Reader, ids: Ids): ImportedRecord {
  const { prompt, answer } = promptAndAnswer(r, 'messages');
  return { ...ids, recipe: 'critique-revision', prompt, initial: answer, initialFinish: 'stop', rounds: [], final: answer };
}

/** Scores are a probability only when both lie in [0, 1] and sum to 1; ratings on other scales are kept as given. */
function probabilityOf(scores: PreferenceScores): number | null {
  const { chosen: c, rejected: j } = scores;
  return c != null && j != null && c >= 0 && c <= 1 && j >= 0 && Math.abs(c + j - 1) < 1e-6 ? c : null;
}

/** Any pair shape formats/pairs.ts reads (TRL, UltraFeedback, HH-RLHF, LLMBar); answer 1 is the one people chose. */
function fromPreference(row: Obj, ids: Ids): ImportedRecord {
  const pair = pairOfRow(row);
  const swap = pair.better === 1;
  const [chosen, rejected] = swap ? [pair.answerB, pair.answerA] : [pair.answerA, pair.answerB];
  const scores: PreferenceScores = {};
  const [scoreChosen, scoreRejected] = swap ? [pair.scores?.b, pair.scores?.a] : [pair.scores?.a, pair.scores?.b];
  if (scoreChosen !== undefined) scores.chosen = scoreChosen;
  if (scoreRejected !== undefined) scores.rejected = scoreRejected;
  const p = probabilityOf(scores);
  const record: PreferenceRecord & ImportMarks = {
    ...ids,
    ...(pair.promptId !== undefined ? { promptId: pair.promptId } : {}),
    recipe: 'preference',
    prompt: pair.prompt,
    candidates: [{ text: chosen, origin: 'imported' }, { text: rejected, origin: 'imported' }],
    // No judge ran here: the label only records the file's verdict, so the pair can be exported or re-judged.
    judgeModel: '',
    mode: 'plain',
    tieMargin: 0,
    judgements: [],
    label: { pAnswer1: p, verdict: 'answer1', basis: p === null ? 'none' : 'probabilities' },
    chosen,
    rejected,
    lowConfidence: false,
    positionConsistent: null,
  };
  if (Object.keys(scores).length) record.scores = scores;
  return record;
}

function fromCai(r: Reader, ids: Ids): ImportedRecord {
  const critiqueRequest = r.str('critic_prompt');
  const { answer } = promptAndAnswer(r, 'chosen');
  const round = {
    // CAI rows name no principle; the critique text identifies it well enough to count usage.
    principleId: `cai-${hash32(critiqueRequest).toString(36)}`,
    principleName: critiqueRequest.length > 60 ? `${critiqueRequest.slice(0, 59)}…` : critiqueRequest,
    critiqueRequest,
    critique: r.str('critic_response'),
    revisionRequest: r.str('revision_prompt'),
    revision: r.str('revision_response'),
    critiqueFinish: 'stop' as const,
    revisionFinish: 'stop' as const,
  };
  return { ...ids, recipe: 'critique-revision', prompt: r.str('init_prompt'), initial: r.str('init_response'), initialFinish: 'stop', rounds: [round], final: answer };
}

const CONVERTERS = {
  sft: (row: Obj, ids: Ids) => fromSft(new Reader('sft row', row), ids),
  preference: (row: Obj, ids: Ids) => fromPreference(row, ids),
  cai: (row: Obj, ids: Ids) => fromCai(new Reader('cai row', row), ids),
} as const;

/** Accumulates lines one at a time, so a file can be streamed in without holding its text. */
export class DatasetImporter {
  private format: ImportFormat | null = null;
  private records: ImportedRecord[] = [];
  private runs = new Map<string, TraceRunInfo>();
  private errors: JsonlLineError[] = [];
  private lineNo = 0;
  private readonly now: number;

  constructor(private readonly options: ImportOptions) {
    this.now = options.now ?? Date.now();
  }

  /** Feeds the next physical line of the file (line numbers count from 1, blank lines included). */
  addLine(text: string): void {
    this.lineNo++;
    const line = this.lineNo === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (line.trim() === '') return;
    try {
      this.addRow(JSON.parse(line));
    } catch (e) {
      this.errors.push({ line: this.lineNo, message: (e as Error).message });
    }
  }

  private addRow(row: unknown): void {
    const format = detectFormat(row);
    if (!format) throw new Error('not a full-trace, CAI, SFT (messages) or preference (chosen/rejected) row');
    if (this.format && format !== this.format) throw new Error(`a ${format} row in a ${this.format} file`);
    if (format === 'trace') {
      const { record, run } = fromTrace(row as Obj);
      if (!this.runs.has(run.id)) this.runs.set(run.id, run);
      this.records.push(record);
    } else {
      this.records.push(CONVERTERS[format](row as Obj, this.ids(this.records.length)));
    }
    this.format ??= format;
  }

  private ids(index: number): Ids {
    const { runId } = this.options;
    return {
      schemaVersion: SCHEMA_VERSION,
      id: `${runId}:${index}`,
      runId,
      index,
      promptId: `p${index}`,
      usage: { promptTokens: 0, completionTokens: 0, ms: 0 },
      createdAt: this.now,
      source: 'import',
    };
  }

  result(): ImportResult {
    return { format: this.format, records: this.records, runs: [...this.runs.values()], errors: this.errors };
  }
}

export function importJsonl(text: string, options: ImportOptions): ImportResult {
  const importer = new DatasetImporter(options);
  for (const line of text.split('\n')) importer.addLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return importer.result();
}

/** For large files: feed it `splitLines(...)` from stream.ts over the file's decoded text. */
export async function importJsonlLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions,
): Promise<ImportResult> {
  const importer = new DatasetImporter(options);
  for await (const line of lines) importer.addLine(line);
  return importer.result();
}

/**
 * Imported records as pairs for the preference recipe to judge afresh (its `imported` candidate
 * source): a preference record gives its two candidates, a critique record its final answer
 * (after review edits) against its initial one; other kinds hold no answer pair and are skipped.
 */
export function importedPairs(records: readonly RunRecord[]): ImportedPair[] {
  return records.flatMap((r) => {
    const pair = recipeOf(r).answerPair?.(r);
    return pair ? [pair] : [];
  });
}
