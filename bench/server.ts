/**
 * Server benchmark, page side (scripts/bench-server.mjs drives it): the page's pipeline — the
 * runner, the critique → revision recipe, IndexedDB — over the endpoint engine connected to a real
 * llama-server, K records in flight. Every chat request body the engine sends is kept, so the
 * script can send the very same requests straight to the server for its raw throughput.
 */
import { harmlessConstitution } from '../src/core/builtins/constitution';
import { samplePromptSet } from '../src/core/builtins/prompts';
import { critiqueRunSpec } from '../src/core/recipes/critique-revision/spec';
import type { RunSpec } from '../src/core/run';
import { runSpecText } from '../src/core/run-spec-file';
import { connectEndpoints } from '../src/endpoint';
import { getRun } from '../src/storage';
import { Runner } from '../src/worker/runner';

/** The spec both the page and the command line run (the file `cai-lab run` takes). */
function serverBenchSpec(prompts: number): { name: string; spec: RunSpec } {
  const spec = critiqueRunSpec({
    model: { backend: 'cpu', kind: 'file', name: 'stories260K.gguf', size: 0 },
    constitution: harmlessConstitution,
    promptSet: { ...samplePromptSet, prompts: samplePromptSet.prompts.slice(0, prompts) },
    rounds: 2,
    seed: 11,
    fewShot: 0,
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 96 },
  });
  return { name: `server bench · ${prompts} prompts`, spec };
}

function serverBenchSpecText(prompts: number): string {
  const { name, spec } = serverBenchSpec(prompts);
  return runSpecText(name, spec);
}

async function runServerPipeline(baseUrl: string, prompts: number, k: number): Promise<{ tokens: number; ms: number; records: number; bodies: string[] }> {
  const bodies: string[] = [];
  const logged = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).endsWith('/v1/chat/completions') && typeof init?.body === 'string') bodies.push(init.body);
    return fetch(input, init);
  }) as typeof fetch;
  const engine = await connectEndpoints([{ baseUrl }], { fetch: logged });
  bodies.length = 0; // the probes on connect are not part of the run
  const { name, spec } = serverBenchSpec(prompts);
  const runner = new Runner(async () => engine);
  const started = performance.now();
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const run = await runner.start(`${name} · K ${k} · ${Date.now()}`, spec, (e) => {
    if (e.type === 'status' && e.run.status !== 'running') finished();
  }, { concurrency: k });
  await done;
  const ms = performance.now() - started;
  const stored = (await getRun(run.id))!;
  if (stored.status !== 'done') throw new Error(`the page's run ended ${stored.status}: ${stored.error ?? ''}`);
  return { tokens: stored.stats.completionTokens, ms, records: stored.recordCount, bodies };
}

Object.assign(window, { runServerPipeline, serverBenchSpecText });
