import * as Comlink from 'comlink';
import { cpuCatalogue, gpuCatalogue, type Capabilities, type CpuModelEntry, type GpuModelEntry } from '../core/catalog';
import type { ModelRef } from '../core/types';
import type { ChatTemplateSource } from '../core/engine';
import type { Run, RunSpec } from '../core/run';
import { detectCapabilities } from './detect';
import { cacheLocalFile, cpuContextTokens, setCpuContextTokens } from './engines/wllama';
import { cpuEnvironment, setCpuSettings } from './engines/wllama-runtime';
import type { CpuEnvironment, CpuRuntime, CpuSettings } from '../core/engines/cpu-plan';
import type { ChatMessage } from '../core/types';
import { endpointFacts, listEndpointModels, setEndpointKeys } from './engines/endpoint';
import type { ServerFacts } from '../endpoint';
import { webLlmModelList } from './engines/webllm';
import { engineDrivers, listCachedModels } from './engines';
import type { CachedModel } from './engines/driver';
import type { LoadProgress } from './engines/progress';
import { ModelHolder, sameModel } from './models';
import { Runner, type LaunchOptions, type RunEvent } from './runner';
import { importConstitutionFrom, type ImportInput, type PromptImportTarget } from './imports';
import { addPromptImport, dropPromptImport, listPromptSetHeads, previewPromptImport, readPromptSlice } from './prompt-sets';
import type { PromptImportOptions } from '../core/imports/prompts';
import type { ConstitutionImportOptions } from '../core/imports/constitution';
import { combineDatasets, exportRows, importDataset, previewDuplicates, summarizeRange, type DatasetInput, type RowJob } from './datasets';
import type { DedupeOptions } from '../core/dedupe';
import { listDamaged, type DamagedKind } from '../storage';

// The UI imports the cached-model type from here, next to the API that returns it.
export type { CachedModel };

const models = new ModelHolder();
let runProgress: (p: LoadProgress) => void = () => undefined;
const runner = new Runner((ref) => models.load(ref, (p) => runProgress(p)), { resetEngine: () => models.unload() });

/** The worker's API. The UI's type for it is derived from this object, never written by hand. */
const api = {
  /** Heartbeat: the page restarts a worker that stops answering (crash, out-of-memory kill). */
  ping(): true {
    return true;
  },

  detect(): Promise<Capabilities> {
    return detectCapabilities();
  },

  /** Isolation, cores and GPU adapter as the CPU engine sees them (the worker may differ from the page). */
  cpuEnvironment(): Promise<CpuEnvironment> {
    return cpuEnvironment();
  },

  /**
   * Threads and GPU offload for CPU models. A loaded CPU model loaded otherwise is unloaded, and its
   * ref returned so the page can load it again with the new settings.
   */
  async setCpuSettings(next: CpuSettings): Promise<ModelRef | null> {
    const current = models.current;
    if (!setCpuSettings(next) || current?.backend !== 'cpu') return null;
    await models.unload();
    return current;
  },

  /** How the loaded model runs (threads, GPU), for engines that choose; null otherwise. */
  cpuRuntime(): CpuRuntime | null {
    return models.runtime;
  },

  catalogue(): { gpu: GpuModelEntry[]; cpu: CpuModelEntry[] } {
    return { gpu: gpuCatalogue(webLlmModelList()), cpu: cpuCatalogue };
  },

  cachedModels(): Promise<CachedModel[]> {
    return listCachedModels();
  },

  async deleteCachedModel(model: CachedModel): Promise<void> {
    if (sameModel(models.current, model.ref)) await models.unload();
    await engineDrivers[model.backend].deleteCached(model.key);
  },

  async loadModel(ref: ModelRef, onProgress: (p: LoadProgress) => void): Promise<ModelRef> {
    await models.load(ref, onProgress);
    return ref;
  },

  /** A .gguf from the user's disk: copied into the browser's model cache, then loaded from there. */
  async loadFile(file: File, onProgress: (p: LoadProgress) => void): Promise<ModelRef> {
    onProgress({ phase: 'download', loaded: 0, total: file.size, fraction: 0, text: `Copying ${file.name} into the browser cache` });
    const ref = await cacheLocalFile(file);
    await models.load(ref, onProgress);
    return ref;
  },

  cancelLoad(): void {
    models.cancelLoad();
  },

  currentModel(): ModelRef | null {
    return models.current;
  },

  /** The loaded model's own chat template (Magpie builds its pre-query from it); null when it has none or nothing is loaded. */
  chatTemplate(): ChatTemplateSource | null {
    return models.loaded?.chatTemplate?.() ?? null;
  },

  async unload(): Promise<void> {
    await models.unload();
  },

  /** The loaded model's context, and whether the engine can count a request's tokens; null when nothing is loaded. */
  contextInfo(): { contextTokens: number; canCount: boolean } | null {
    const engine = models.loaded;
    if (!engine?.contextTokens) return null;
    return { contextTokens: engine.contextTokens, canCount: typeof engine.countTokens === 'function' };
  },

  /** Tokens a chat request takes with the loaded model's tokenizer and template. */
  async countChatTokens(messages: ChatMessage[]): Promise<number> {
    const engine = models.loaded;
    if (!engine?.countTokens) throw new Error('The loaded model cannot count tokens.');
    return engine.countTokens(messages);
  },

  /** The CPU engine's context size (asked for at load); a loaded CPU model is loaded again with it. */
  async setCpuContextTokens(tokens: number, onProgress: (p: LoadProgress) => void): Promise<number> {
    const changed = cpuContextTokens() !== Math.max(128, Math.floor(tokens));
    setCpuContextTokens(tokens);
    const ref = models.current;
    if (changed && ref?.backend === 'cpu') {
      await models.unload();
      await models.load(ref, onProgress);
    }
    return cpuContextTokens();
  },

  /** The API keys for servers, held in the worker's memory only (never in a run, record or export). */
  setEndpointKeys(entries: { baseUrl: string; apiKey: string }[]): void {
    setEndpointKeys(entries);
  },

  /** The model ids a server lists, for the page's model choice. */
  listEndpointModels(baseUrl: string): Promise<string[]> {
    return listEndpointModels(baseUrl);
  },

  /** What connecting learned about the loaded server engine's servers; null when no server engine is loaded. */
  endpointFacts(): ServerFacts[] | null {
    return models.current?.backend === 'server' ? endpointFacts() : null;
  },

  startRun(name: string, spec: RunSpec, onEvent: (e: RunEvent) => void, onLoad: (p: LoadProgress) => void, options: LaunchOptions = {}): Promise<Run> {
    runProgress = onLoad;
    return runner.start(name, spec, onEvent, options);
  },

  resumeRun(runId: string, onEvent: (e: RunEvent) => void, onLoad: (p: LoadProgress) => void, options: LaunchOptions = {}): Promise<Run> {
    runProgress = onLoad;
    return runner.resume(runId, onEvent, options);
  },

  pauseRun(runId: string): Promise<void> {
    return runner.stop(runId, 'pause');
  },

  cancelRun(runId: string): Promise<void> {
    return runner.stop(runId, 'cancel');
  },

  /** Deletes a run or dataset; a run running here is stopped first, one running in another tab is refused. */
  deleteRun(runId: string): Promise<void> {
    return runner.delete(runId);
  },

  activeRunId(): string | null {
    return runner.activeRunId;
  },

  recoverInterrupted(): Promise<number> {
    return runner.recoverInterrupted();
  },

  /**
   * Library imports parse here, off the page's thread; failures come back as data naming file, field
   * and line. A prompt import is held here; the page gets counts, line errors and the first rows.
   */
  previewPromptImport(input: ImportInput, opts: PromptImportOptions, intoSetId?: string) {
    return previewPromptImport(input, opts, intoSetId);
  },

  dropPromptImport(importId: string): void {
    dropPromptImport(importId);
  },

  /** Held prompts merged into a stored set (or a new one) and written here, off the page's thread. */
  addPromptImport(importId: string, target: PromptImportTarget, extraTags: string[]) {
    return addPromptImport(importId, target, extraTags);
  },

  /** Damaged library items (a stored prompt set can be huge: it is read whole here, not on the page). */
  listDamaged(kinds: DamagedKind[]) {
    return listDamaged(kinds);
  },

  /** Every stored prompt set without its prompts (the page lists and picks from these). */
  listPromptSetHeads() {
    return listPromptSetHeads();
  },

  /** A slice of a stored prompt set: the page reads a large set back in slices, each one quick to copy. */
  readPromptSlice(setId: string, updatedAt: number, from: number, count: number) {
    return readPromptSlice(setId, updatedAt, from, count);
  },

  importConstitution(input: ImportInput, opts: ConstitutionImportOptions) {
    return importConstitutionFrom(input, opts);
  },

  /** Datasets: a JSONL import (bad lines reported by number), a merge, a duplicate count; parsed and written here. */
  importDataset(input: DatasetInput, opts: { fileName: string; name: string }) {
    return importDataset(input, opts);
  },

  previewDuplicates(runIds: string[], options: DedupeOptions) {
    return previewDuplicates(runIds, options);
  },

  combineDatasets(runIds: string[], opts: { name: string; dedupe: DedupeOptions | null }) {
    return combineDatasets(runIds, opts);
  },

  /** A batch of an export's rows, made here while the page makes and writes others. */
  async exportRows(job: RowJob) {
    const batch = await exportRows(job, job.chunks);
    // The encoded chunks move to the page without a copy.
    return Comlink.transfer(batch, batch.chunks.map((c) => c.buffer));
  },

  /** Summaries of a range of a dataset's chunks, so opening 100,000 records uses two threads. */
  summarizeRange(runId: string, fromChunk: number, count: number) {
    return summarizeRange(runId, fromChunk, count);
  },

};

export type WorkerApi = typeof api;

Comlink.expose(api);
