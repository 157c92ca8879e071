/**
 * Back-translation: each prompt goes into every chosen pivot language and back, and the round trip
 * is kept as a paraphrase only when its similarity to the original lies inside the [low, high) band:
 * at or above `high` it says nothing new, below `low` the meaning drifted (or the model answered
 * the prompt instead of translating it). One step = one prompt = one record, so runs resume exactly.
 */
import type { Engine } from '../../engine';
import type { AugmentEvent, AugmentStep } from '../augment/types';
import type { BackTranslateDropReason, BackTranslateRecord, BackTranslateSpec, BackTranslation } from './types';
import { SCHEMA_VERSION, type PromptItem, type Usage } from '../../types';
import { Random } from '../../random';
import { similarity, type SimilarityOptions } from '../../similarity';
import { fromPivotMessages, toPivotMessages } from '../augment/prompts';
import { askOnce } from '../ask';

export interface BackTranslateContext {
  runId: string;
  engine: Engine;
  spec: BackTranslateSpec;
  signal?: AbortSignal;
  onEvent?: (event: AugmentEvent) => void;
  now?: () => number;
}

/** Throws RangeError naming the first setting that cannot work. */
export function validateBackTranslateSpec(spec: BackTranslateSpec): void {
  const { low, high } = spec.similarity;
  if (spec.prompts.length === 0) throw new RangeError('There are no prompts to back-translate.');
  if (spec.pivots.length === 0) throw new RangeError('Choose at least one pivot language.');
  const source = spec.sourceLanguage.trim().toLowerCase();
  const same = spec.pivots.find((p) => p.trim().toLowerCase() === source);
  if (same) throw new RangeError(`The pivot language "${same}" is the prompts' own language.`);
  const keys = spec.pivots.map((p) => p.trim().toLowerCase());
  if (keys.some((k) => k === '')) throw new RangeError('A pivot language has no name.');
  if (new Set(keys).size !== keys.length) throw new RangeError('Each pivot language may be chosen only once.');
  if (!(low >= 0 && low < high && high <= 1)) throw new RangeError(`The similarity band must satisfy 0 ≤ low < high ≤ 1, got [${low}, ${high}]`);
}

export async function backTranslateStep(index: number, ctx: BackTranslateContext): Promise<BackTranslateRecord> {
  const { spec } = ctx;
  const item = spec.prompts[index];
  if (!item) throw new RangeError(`prompt index ${index} is outside the run (${spec.prompts.length} prompts)`);
  validateBackTranslateSpec(spec);
  const random = Random.forItem(spec.seed, index);
  const usage: Usage = { promptTokens: 0, completionTokens: 0, ms: 0 };
  const translations: BackTranslation[] = [];
  for (const pivot of spec.pivots) {
    const t = await roundTrip(item.text, pivot, { ctx, index, random, usage });
    const duplicate = t.kept && translations.some((o) => o.kept && sameText(o.backText, t.backText));
    translations.push(duplicate ? { ...t, kept: false, reason: 'duplicate' } : t);
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    id: `${ctx.runId}:${index}`,
    runId: ctx.runId,
    recipe: 'back-translate',
    index,
    promptId: item.id,
    prompt: item.text,
    translations,
    usage,
    createdAt: (ctx.now ?? Date.now)(),
  };
}

interface Trip {
  ctx: BackTranslateContext;
  index: number;
  random: Random;
  usage: Usage;
}

/** Source → pivot → source for one pivot; a failed leg ends the trip with its reason. */
async function roundTrip(original: string, pivot: string, trip: Trip): Promise<BackTranslation> {
  const { ctx } = trip;
  const source = ctx.spec.sourceLanguage;
  const there = await leg(trip, 'to-pivot', pivot, toPivotMessages(original, pivot, source));
  const base: BackTranslation = { pivot, pivotText: there.text, backText: '', similarity: 0, kept: false, pivotFinish: there.finish };
  if (there.finish === 'length') return { ...base, reason: 'cut-off' };
  if (there.text === '') return { ...base, reason: 'empty' };
  const back = await leg(trip, 'from-pivot', pivot, fromPivotMessages(there.text, pivot, source));
  const done = { ...base, backText: back.text, backFinish: back.finish };
  if (back.finish === 'length') return { ...done, reason: 'cut-off' };
  if (back.text === '') return { ...done, reason: 'empty' };
  const verdict = judgeParaphrase(original, back.text, ctx.spec.similarity);
  return { ...done, ...verdict };
}

async function leg(trip: Trip, step: AugmentStep, pivot: string, messages: ReturnType<typeof toPivotMessages>) {
  const { ctx, index } = trip;
  ctx.onEvent?.({ type: 'step', index, step, pivot });
  const onToken = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index, step, text }));
  const result = await askOnce({ engine: ctx.engine, sampling: ctx.spec.sampling, signal: ctx.signal }, trip.random, trip.usage, messages, onToken);
  return { text: cleanTranslation(result.text), finish: result.finishReason };
}

/** Keep, or say why not: identical (≥ high or the same text), drifted (< low). */
export function judgeParaphrase(
  original: string,
  back: string,
  band: SimilarityOptions & { low: number; high: number },
): { similarity: number; kept: boolean; reason?: BackTranslateDropReason } {
  const score = similarity(original, back, band);
  if (sameText(original, back) || score >= band.high) return { similarity: score, kept: false, reason: 'identical' };
  if (score < band.low) return { similarity: score, kept: false, reason: 'drifted' };
  return { similarity: score, kept: true };
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * A translation without the wrapping small models add: code fences, our own <<< >>> markers,
 * a "Here is the translation:" or "French translation:" lead-in, and surrounding quotes.
 */
export function cleanTranslation(text: string): string {
  let t = text.trim();
  t = t.replace(/^```[^\n]*\n([\s\S]*?)\n?```$/, '$1').trim();
  t = t.replace(/^(?:here is|here's)\b[^\n]*:\s*\n/i, '');
  t = t.replace(/^[\p{L} ]{0,30}\btranslation\s*:\s*/iu, '');
  t = t.replace(/^<<<\s*/, '').replace(/\s*>>>$/, '').trim();
  const quoted = /^["“«](.*)["”»]$/s.exec(t);
  return (quoted ? quoted[1] : t).trim();
}

/**
 * The new prompt set of a finished run: each kept paraphrase (tagged with its pivot), optionally
 * preceded by its original prompt.
 */
export function collectBackTranslatePrompts(records: readonly BackTranslateRecord[], includeOriginals = false): PromptItem[] {
  return [...records]
    .sort((a, b) => a.index - b.index)
    .flatMap((r) => {
      const originals: PromptItem[] = includeOriginals ? [{ id: r.promptId, text: r.prompt, tags: ['original'], source: 'original' }] : [];
      const paraphrases = r.translations
        .filter((t) => t.kept)
        .map((t) => ({
          id: `${r.promptId}~${t.pivot.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
          text: t.backText,
          tags: ['back-translation', t.pivot],
          source: `back-translated via ${t.pivot} from prompt ${r.promptId} (similarity ${t.similarity.toFixed(2)})`,
        }));
      return [...originals, ...paraphrases];
    });
}
