/**
 * Imports a JSONL dataset so it can be reviewed, re-judged, merged or re-exported:
 * - the full trace (traceRows in sft.ts): each line is a stored record plus `run`; re-imported
 *   exactly, through the same checks and migrations as records read back from IndexedDB;
 * - Hugging Face CAI columns (cai-columns.ts): becomes a record with one critique round;
 * - TRL conversational SFT (`messages`): a record whose initial and final answers are the
 *   assistant turn, with no rounds;
 * - TRL preference (`prompt`/`chosen`/`rejected`, conversational or plain strings, explicit or
 *   implicit prompt): a record with the rejected answer as initial and the chosen one as final,
 *   which is exactly how revision-beats-initial pairs are exported again.
 * The file's format is set by its first good line; a bad line is reported by number and skipped.
 */
import { restoreRecord } from '../../storage/restore';
import { Reader, isObj, type Obj } from '../../storage/validate';
import { hash32 } from '../dedupe';
import { SCHEMA_VERSION, type ChatMessage, type CritiqueRecord, type ModelRef, type SamplingParams } from '../types';
import type { JsonlLineError } from './jsonl';

export type ImportFormat = 'trace' | 'cai' | 'sft' | 'preference';

export interface PreferenceScores {
  chosen?: number;
  rejected?: number;
}

/** A record made from foreign data carries `source: 'import'` (and a preference pair its scores). */
export interface ImportedRecord extends CritiqueRecord {
  source?: 'import';
  scores?: PreferenceScores;
}

/** The `run` object of a full-trace line. */
export interface TraceRunInfo {
  id: string;
  name: string;
  recipe: string;
  model: ModelRef;
  constitution: { id: string; name: string };
  promptSet: { id: string; name: string };
  seed: number;
  rounds: number;
  sampling: SamplingParams;
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
  if (isObj(row.run) && Array.isArray(row.rounds) && 'initial' in row) return 'trace';
  if ('init_prompt' in row) return 'cai';
  if ('chosen' in row && 'rejected' in row) return 'preference';
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

/** A string, or a list holding exactly one turn of `role`. */
function turnText(r: Reader, field: string, role: 'user' | 'assistant'): string {
  if (typeof r.obj[field] === 'string') return r.str(field);
  const msgs = readMessages(r, field);
  if (msgs.length !== 1 || msgs[0]!.role !== role) return r.fail(field, `a string or a single ${role} turn`);
  return msgs[0]!.content;
}

function readRunInfo(r: Reader): TraceRunInfo {
  const m = r.child('model');
  const sampling = r.child('sampling');
  const constitution = r.child('constitution');
  const promptSet = r.child('promptSet');
  m.oneOf('backend', ['webgpu', 'cpu'] as const);
  return {
    id: r.str('id'),
    name: r.str('name'),
    recipe: r.str('recipe'),
    // Kept as written: the run object only describes the data, nothing reloads the model from it.
    model: m.obj as unknown as ModelRef,
    constitution: { id: constitution.str('id'), name: constitution.str('name') },
    promptSet: { id: promptSet.str('id'), name: promptSet.str('name') },
    seed: r.num('seed'),
    rounds: r.int('rounds'),
    sampling: { temperature: sampling.num('temperature'), topP: sampling.num('topP'), maxTokens: sampling.int('maxTokens') },
  };
}

function fromTrace(row: Obj): { record: ImportedRecord; run: TraceRunInfo } {
  const { run, ...rest } = row;
  const run_ = readRunInfo(new Reader('trace line', run as Obj, 'run.'));
  const record: ImportedRecord = restoreRecord(rest);
  // restoreRecord knows only the stored fields; keep an import's marks so a re-export stays exact.
  if (rest.source === 'import') record.source = 'import';
  if (isObj(rest.scores)) record.scores = readScores(new Reader('trace line', rest.scores), 'chosen', 'rejected');
  return { record, run: run_ };
}

function readScores(r: Reader, chosen: string, rejected: string): PreferenceScores {
  const scores: PreferenceScores = {};
  if (r.has(chosen)) scores.chosen = r.num(chosen);
  if (r.has(rejected)) scores.rejected = r.num(rejected);
  return scores;
}

type Base = Omit<ImportedRecord, 'prompt' | 'initial' | 'final' | 'rounds'>;

function fromSft(r: Reader): Partial<ImportedRecord> {
  const { prompt, answer } = promptAndAnswer(r, 'messages');
  return { prompt, initial: answer, final: answer, rounds: [] };
}

function fromPreference(r: Reader): Partial<ImportedRecord> {
  let prompt: string;
  let chosen: string;
  let rejected: string;
  if (r.has('prompt')) {
    prompt = turnText(r, 'prompt', 'user');
    chosen = turnText(r, 'chosen', 'assistant');
    rejected = turnText(r, 'rejected', 'assistant');
  } else {
    // Implicit prompt: both conversations start with the same user turn.
    const c = promptAndAnswer(r, 'chosen');
    const j = promptAndAnswer(r, 'rejected');
    if (c.prompt !== j.prompt) return r.fail('rejected', 'a conversation with the same user turn as "chosen"');
    [prompt, chosen, rejected] = [c.prompt, c.answer, j.answer];
  }
  const scores = readScores(r, 'score_chosen', 'score_rejected');
  return { prompt, initial: rejected, final: chosen, rounds: [], ...(Object.keys(scores).length ? { scores } : {}) };
}

function fromCai(r: Reader): Partial<ImportedRecord> {
  const critiqueRequest = r.str('critic_prompt');
  const { answer } = promptAndAnswer(r, 'chosen');
  return {
    prompt: r.str('init_prompt'),
    initial: r.str('init_response'),
    final: answer,
    rounds: [
      {
        // CAI rows name no principle; the critique text identifies it well enough to count usage.
        principleId: `cai-${hash32(critiqueRequest).toString(36)}`,
        principleName: critiqueRequest.length > 60 ? `${critiqueRequest.slice(0, 59)}…` : critiqueRequest,
        critiqueRequest,
        critique: r.str('critic_response'),
        revisionRequest: r.str('revision_prompt'),
        revision: r.str('revision_response'),
        critiqueFinish: 'stop',
        revisionFinish: 'stop',
      },
    ],
  };
}

const CONVERTERS = { sft: fromSft, preference: fromPreference, cai: fromCai } as const;

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
      const fields = CONVERTERS[format](new Reader(`${format} row`, row as Obj));
      this.records.push({ ...this.base(this.records.length), ...fields } as ImportedRecord);
    }
    this.format ??= format;
  }

  private base(index: number): Base {
    const { runId } = this.options;
    return {
      schemaVersion: SCHEMA_VERSION,
      id: `${runId}:${index}`,
      runId,
      index,
      promptId: `p${index}`,
      initialFinish: 'stop',
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
