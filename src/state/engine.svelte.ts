import { recommendGpuModel, usableGpuModels, type Capabilities, type CpuModelEntry, type GpuModelEntry } from '../core/catalog';
import { toUserError, type UserError } from '../core/errors';
import type { ChatMessage, ModelRef } from '../core/types';
import type { TokenCounter } from '../core/recipes/critique-revision/context-fit';
import type { ChatTemplateSource } from '../core/engine';
import type { LoadProgress } from '../worker/engines/progress';
import type { CachedModel } from '../worker/pipeline.worker';
import { proxy, type Pipeline } from './worker-client';
import { LastModel } from './last-model.svelte';
import { defaultCpuSettings, type CpuEnvironment, type CpuRuntime, type CpuSettings } from '../core/engines/cpu-plan';

const SETTINGS_KEY = 'cai-lab:cpu-settings';

/** The remembered CPU settings; anything unreadable falls back to the defaults. */
function storedCpuSettings(): CpuSettings {
  try {
    const raw = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<CpuSettings> | null;
    const threads = raw?.threads === 'auto' || (Number.isInteger(raw?.threads) && (raw?.threads as number) > 0) ? raw!.threads! : defaultCpuSettings.threads;
    const gpu = raw?.gpu === 'on' || raw?.gpu === 'off' || raw?.gpu === 'auto' ? raw.gpu : defaultCpuSettings.gpu;
    return { threads, gpu };
  } catch {
    return { ...defaultCpuSettings };
  }
}

/** What the browser can do, which models we offer, and the one loaded model. */
export class EngineState {
  caps = $state<Capabilities | null>(null);
  gpuModels = $state<GpuModelEntry[]>([]);
  cpuModels = $state<CpuModelEntry[]>([]);
  cached = $state<CachedModel[]>([]);
  loaded = $state<ModelRef | null>(null);
  loading = $state<LoadProgress | null>(null);
  error = $state<UserError | null>(null);
  cpuSettings = $state<CpuSettings>(storedCpuSettings());
  cpuEnv = $state<CpuEnvironment | null>(null);
  /** How the loaded CPU model runs (threads, GPU offload); null for none or a WebLLM model. */
  runtime = $state<CpuRuntime | null>(null);
  /** The loaded model's context in tokens, and whether its engine counts tokens (the pre-Start check). */
  context = $state<{ contextTokens: number; canCount: boolean } | null>(null);
  /** The context size the CPU engine asks for at load; remembered in this browser. */
  cpuContextSetting = $state(readCpuContextSetting());

  /** The model loaded last, loaded again when the page opens if it is still cached. */
  readonly lastModel: LastModel = new LastModel(this);

  usableGpu = $derived(this.caps ? usableGpuModels(this.gpuModels, this.caps) : []);
  recommended = $derived(this.caps ? recommendGpuModel(this.gpuModels, this.caps) : null);

  constructor(private readonly pipeline: Pipeline) {}

  async init(): Promise<void> {
    await this.pipeline.setCpuSettings($state.snapshot(this.cpuSettings));
    const [caps, catalogue, cpuEnv] = await Promise.all([this.pipeline.detect(), this.pipeline.catalogue(), this.pipeline.cpuEnvironment()]);
    this.caps = caps;
    this.cpuEnv = cpuEnv;
    this.gpuModels = catalogue.gpu;
    this.cpuModels = catalogue.cpu;
    await this.pipeline.setCpuContextTokens(this.cpuContextSetting, proxy(this.onProgress));
    await this.refreshLoaded();
    await this.refreshCache();
  }

  /** The worker's model may change without a load from here: a run loads the models it needs. */
  async refreshLoaded(): Promise<void> {
    this.loaded = await this.pipeline.currentModel();
    this.runtime = await this.pipeline.cpuRuntime();
    this.context = this.loaded ? await this.pipeline.contextInfo() : null;
  }

  /** Remembers the CPU settings; a CPU model loaded with other settings is loaded again with these. */
  async setCpuSettings(next: CpuSettings): Promise<void> {
    this.cpuSettings = next;
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
    const reload = await this.pipeline.setCpuSettings($state.snapshot(next));
    if (reload) await this.load(reload);
    else await this.refreshLoaded();
  }

  /** Sets the CPU engine's context size; a loaded CPU model is loaded again with it. */
  async setCpuContext(tokens: number): Promise<void> {
    if (!Number.isFinite(tokens) || tokens < 128) return;
    this.cpuContextSetting = Math.floor(tokens);
    try {
      localStorage.setItem(CPU_CONTEXT_KEY, String(this.cpuContextSetting));
    } catch {
      /* storage refused (private mode): the setting lasts for this visit */
    }
    await this.track(async () => {
      await this.pipeline.setCpuContextTokens(this.cpuContextSetting, proxy(this.onProgress));
      return (await this.pipeline.currentModel()) as ModelRef;
    });
  }

  /** Counts a request's tokens with the loaded engine (null: the engine cannot). */
  tokenCounter(): TokenCounter | null {
    const context = this.context;
    if (!context?.canCount) return null;
    return { contextTokens: context.contextTokens, count: (messages) => this.pipeline.countChatTokens($state.snapshot(messages) as ChatMessage[]) };
  }

  /** A new worker holds no model: show that, and check again what it can do. */
  async afterRestart(): Promise<void> {
    this.loaded = null;
    this.loading = null;
    await this.init();
  }

  async refreshCache(): Promise<void> {
    this.cached = await this.pipeline.cachedModels().catch(() => []);
  }

  load(ref: ModelRef): Promise<boolean> {
    // Refs may come from $state (the cached list): proxies can't cross to the worker.
    const plain = $state.snapshot(ref) as ModelRef;
    return this.track(() => this.pipeline.loadModel(plain, proxy(this.onProgress)));
  }

  /**
   * Connects to OpenAI-compatible servers and makes them the loaded model. The error comes back to
   * the Server panel, which shows it next to its fields instead of under the whole model area.
   */
  async connect(ref: ModelRef): Promise<UserError | null> {
    const plain = $state.snapshot(ref) as ModelRef;
    let failed: UserError | null = null;
    await this.track(() => this.pipeline.loadModel(plain, proxy(this.onProgress)), (e) => (failed = e));
    return failed;
  }

  loadFile(file: File): Promise<boolean> {
    if (!/\.gguf$/i.test(file.name)) {
      this.error = { name: 'BadFile', message: `"${file.name}" is not a .gguf file.`, hint: 'Choose a GGUF model file (llama.cpp format).' };
      return Promise.resolve(false);
    }
    return this.track(() => this.pipeline.loadFile(file, proxy(this.onProgress)));
  }

  /** The loaded model's own chat template; null when it has none. */
  chatTemplate(): Promise<ChatTemplateSource | null> {
    return this.pipeline.chatTemplate();
  }

  cancel(): void {
    void this.pipeline.cancelLoad();
  }

  async deleteCached(model: CachedModel): Promise<void> {
    await this.pipeline.deleteCachedModel($state.snapshot(model) as CachedModel);
    await this.refreshLoaded();
    await this.refreshCache();
  }

  /** Progress reported while a run (re)loads its model, e.g. on Resume after a reload. */
  readonly onProgress = (p: LoadProgress) => {
    this.loading = p.phase === 'ready' ? null : p;
    if (p.phase === 'ready') void this.refreshLoaded();
  };

  private async track(load: () => Promise<ModelRef>, onError?: (e: UserError) => void): Promise<boolean> {
    this.error = null;
    this.loading = { phase: 'init', loaded: 0, total: null, fraction: 0, text: 'Starting…' };
    try {
      this.loaded = await load();
      if (this.loaded) this.lastModel.remember($state.snapshot(this.loaded) as ModelRef);
      this.context = this.loaded ? await this.pipeline.contextInfo() : null;
      return true;
    } catch (error) {
      if (onError) onError(toUserError(error, 'connect again'));
      else this.error = toUserError(error);
      await this.refreshLoaded();
      return false;
    } finally {
      this.loading = null;
      await this.refreshLoaded();
      await this.refreshCache();
    }
  }
}

const CPU_CONTEXT_KEY = 'cai-lab.cpu-context-tokens';
/** What wllama is asked for when nothing is set (llama.cpp caps it at the model's trained context). */
const DEFAULT_CPU_CONTEXT = 4096;

function readCpuContextSetting(): number {
  try {
    const saved = Number(localStorage.getItem(CPU_CONTEXT_KEY));
    return Number.isInteger(saved) && saved >= 128 ? saved : DEFAULT_CPU_CONTEXT;
  } catch {
    return DEFAULT_CPU_CONTEXT;
  }
}
