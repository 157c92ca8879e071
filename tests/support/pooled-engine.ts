import type { CallOptions, ChatRequest, ChatResult, Engine, EngineLease } from '../../src/core/engine';
import { Random } from '../../src/core/random';
import { ScriptedEngine } from './scripted-engine';

/**
 * A test-only engine standing for a server with several slots: each chat waits a random few
 * milliseconds (so records finish out of order), it counts the records on lease and the calls at once.
 */
export class PooledEngine implements Engine {
  readonly info = { id: 'pooled', backend: 'cpu' as const, model: 'pooled' };
  readonly inner = new ScriptedEngine();
  leased = 0;
  mostLeased = 0;
  calls = 0;
  private readonly random: Random;

  constructor(
    readonly slots: number,
    seed = 1,
    private readonly maxDelayMs = 6,
  ) {
    this.random = new Random(seed);
  }

  async chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResult> {
    this.calls++;
    await new Promise((r) => setTimeout(r, this.random.int(this.maxDelayMs + 1)));
    opts?.signal?.throwIfAborted();
    return this.inner.chat(req, opts);
  }

  choose: Engine['choose'] = (req, options) => this.inner.choose(req, options);

  lease(): EngineLease {
    this.leased++;
    this.mostLeased = Math.max(this.mostLeased, this.leased);
    let released = false;
    return {
      engine: this,
      release: () => {
        if (!released) this.leased--;
        released = true;
      },
    };
  }
}
