/**
 * Self-instruct: the model sees a few seed prompts (and some it wrote earlier) and proposes a batch
 * of new ones; proposals too close to a seed, an accepted prompt or each other are dropped.
 * One step = one batch = one record, so a worker runner can store each and resume at any step.
 */
import type { Engine } from '../../engine';
import type { DroppedPrompt, KeptPrompt, SelfInstructRecord, SelfInstructSpec } from './types';
import type { AugmentEvent } from '../augment/types';
import { SCHEMA_VERSION, type PromptItem, type Usage } from '../../types';
import { Random } from '../../random';
import { SimilarityIndex } from '../../similarity';
import { proposeMessages } from '../augment/prompts';
import { askOnce } from '../ask';

export interface SelfInstructContext {
  runId: string;
  engine: Engine;
  spec: SelfInstructSpec;
  /** Texts kept by steps before this one, in step order (the runner rebuilds it from stored records). */
  accepted: readonly string[];
  signal?: AbortSignal;
  onEvent?: (event: AugmentEvent) => void;
  now?: () => number;
}

/** Most items read from one reply: a runaway list is noise, not more data. */
const MAX_PROPOSALS = 100;

/** Throws RangeError naming the first setting that cannot work. */
export function validateSelfInstructSpec(spec: SelfInstructSpec): void {
  const { similarity: s } = spec;
  if (spec.seeds.length === 0) throw new RangeError('self-instruct needs at least one seed prompt');
  if (!Number.isInteger(spec.steps) || spec.steps < 1) throw new RangeError(`steps must be a whole number ≥ 1, got ${spec.steps}`);
  if (!Number.isInteger(spec.perBatch) || spec.perBatch < 1 || spec.perBatch > 50) {
    throw new RangeError(`prompts per batch must be from 1 to 50, got ${spec.perBatch}`);
  }
  if (!Number.isInteger(spec.seedsShown) || spec.seedsShown < 1) throw new RangeError(`seeds shown must be ≥ 1, got ${spec.seedsShown}`);
  if (!Number.isInteger(spec.generatedShown) || spec.generatedShown < 0) {
    throw new RangeError(`generated prompts shown must be ≥ 0, got ${spec.generatedShown}`);
  }
  if (!(s.threshold > 0 && s.threshold <= 1)) throw new RangeError(`similarity threshold must be in (0, 1], got ${s.threshold}`);
  if (!(spec.minChars >= 0 && spec.maxChars > spec.minChars)) throw new RangeError('prompt length limits must satisfy 0 ≤ min < max');
}

export async function selfInstructStep(stepIndex: number, ctx: SelfInstructContext): Promise<SelfInstructRecord> {
  const { spec } = ctx;
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= spec.steps) {
    throw new RangeError(`step ${stepIndex} is outside the run (${spec.steps} steps)`);
  }
  validateSelfInstructSpec(spec);
  // Draw order is fixed (seeds, generated, topic, engine seed) so a resumed step repeats exactly.
  const random = Random.forItem(spec.seed, stepIndex);
  const seeds = sample(spec.seeds, spec.seedsShown, random);
  const generated = sample(ctx.accepted, spec.generatedShown, random);
  const topic = spec.topics.length > 0 ? random.pick(spec.topics) : undefined;
  const usage: Usage = { promptTokens: 0, completionTokens: 0, ms: 0 };

  const messages = proposeMessages({
    examples: [...seeds.map((s) => s.text), ...generated],
    count: spec.perBatch,
    topic,
    description: spec.description,
  });
  ctx.onEvent?.({ type: 'step', index: stepIndex, step: 'propose' });
  const onToken = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index: stepIndex, step: 'propose', text }));
  const reply = await askOnce({ engine: ctx.engine, sampling: spec.sampling, signal: ctx.signal }, random, usage, messages, onToken);

  const proposed = parseNumberedList(reply.text).slice(0, MAX_PROPOSALS);
  const { kept, dropped } = filterProposals(proposed, reply.finishReason === 'length', ctx, stepIndex);
  const record: SelfInstructRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: `${ctx.runId}:${stepIndex}`,
    runId: ctx.runId,
    recipe: 'self-instruct',
    index: stepIndex,
    shownSeedIds: seeds.map((s) => s.id),
    shownGenerated: [...generated],
    raw: reply.text,
    finish: reply.finishReason,
    proposed,
    kept,
    dropped,
    usage,
    createdAt: (ctx.now ?? Date.now)(),
  };
  if (topic !== undefined) record.topic = topic;
  return record;
}

/** Length and similarity filters; the last item of a reply cut by max_tokens is dropped as cut-off. */
function filterProposals(proposed: string[], cut: boolean, ctx: SelfInstructContext, step: number) {
  const { spec } = ctx;
  const index = new SimilarityIndex({ metric: spec.similarity.metric, n: spec.similarity.n });
  for (const s of spec.seeds) index.add(s.text);
  for (const a of ctx.accepted) index.add(a);
  const kept: KeptPrompt[] = [];
  const dropped: DroppedPrompt[] = [];
  proposed.forEach((text, i) => {
    if (cut && i === proposed.length - 1) return dropped.push({ text, reason: 'cut-off' });
    if (text.length < spec.minChars) return dropped.push({ text, reason: 'too-short' });
    if (text.length > spec.maxChars) return dropped.push({ text, reason: 'too-long' });
    const near = index.nearest(text);
    if (near && near.score >= spec.similarity.threshold) {
      return dropped.push({ text, reason: 'similar', similarity: near.score, nearest: near.text });
    }
    const item: KeptPrompt = { id: `${ctx.runId}:${step}:${kept.length}`, text, similarity: near?.score ?? 0 };
    if (near) item.nearest = near.text;
    kept.push(item);
    index.add(text);
  });
  return { kept, dropped };
}

/** Up to `k` distinct items, in drawn order (a partial Fisher–Yates shuffle of indices). */
function sample<T>(items: readonly T[], k: number, random: Random): T[] {
  const idx = items.map((_, i) => i);
  const n = Math.min(Math.max(0, k), idx.length);
  for (let i = 0; i < n; i++) {
    const j = i + random.int(idx.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, n).map((i) => items[i]);
}

/** "1. text", "2) text", "(3) text", "**4.** text", "Request 5: text"; optional bullet or heading marks. */
const NUMBERED = /^\s*(?:[-*•]\s*)?(?:#{1,4}\s*)?(?:\*\*|__)?\(?(?:(?:request|prompt|question|item)\s*#?\s*)?\d{1,3}\s*[.):\]]\s*(?:\*\*|__)?\s*(.*)$/i;
const BULLET = /^\s*[-*•]\s+(.*)$/;

/**
 * Items of the model's list. Numbered lines win; without any, bullets; without those, every line
 * that is not an introduction ("Here are five requests:"). Each item is cleaned of markdown and quotes.
 */
export function parseNumberedList(reply: string): string[] {
  const lines = reply.split(/\r?\n|\r/);
  const pick = (re: RegExp) =>
    lines.flatMap((l) => {
      const m = re.exec(l);
      return m ? [m[1]] : [];
    });
  let items = pick(NUMBERED);
  if (items.length === 0) items = pick(BULLET);
  if (items.length === 0) items = lines.filter((l) => !/:\s*$/.test(l));
  return items.map(cleanItem).filter((t) => t !== '');
}

function cleanItem(s: string): string {
  let t = s.trim().replace(/\*\*|__/g, '').trim();
  t = t.replace(/^(?:request|prompt|question)\s*:\s*/i, '');
  // Whole-item quotes ("…", “…”) are presentation, not part of the prompt.
  const q = /^["“'‘](.*)["”'’]$/s.exec(t);
  return (q ? q[1] : t).trim();
}

/** The new prompt set of a finished run: every kept prompt, with its step as provenance. */
export function collectSelfInstructPrompts(records: readonly SelfInstructRecord[]): PromptItem[] {
  return [...records]
    .sort((a, b) => a.index - b.index)
    .flatMap((r) =>
      r.kept.map((k) => ({
        id: k.id,
        text: k.text,
        tags: ['self-instruct', ...(r.topic ? [r.topic] : [])],
        source: `self-instruct ${r.runId} step ${r.index + 1} (seeds: ${r.shownSeedIds.join(', ')})`,
      })),
    );
}

/** What the next step needs from the stored records: kept texts in step order. */
export function acceptedSoFar(records: readonly SelfInstructRecord[]): string[] {
  return [...records].sort((a, b) => a.index - b.index).flatMap((r) => r.kept.map((k) => k.text));
}
