/**
 * The progress line on stderr (cli-progress): records done of this shard's total, records in
 * flight, tokens per second over wall-clock time, ETA. Where stderr is not a terminal (a Slurm or
 * Kubernetes log) it prints a plain line every few seconds instead of redrawing one.
 */
import { SingleBar } from 'cli-progress';

export interface Progress {
  start(total: number, done: number): void;
  phase(name: string, done: number, total: number): void;
  committed(records: number, tokens: number, inFlight: number): void;
  stop(): void;
}

export function progressLine(quiet: boolean): Progress {
  if (quiet) return { start() {}, phase() {}, committed() {}, stop() {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: '{phase} {bar} {value}/{total} records | {inFlight} in flight | {tokps} tok/s | ETA {eta_formatted}',
    noTTYOutput: true,
    notTTYSchedule: 5000,
    etaBuffer: 20,
    hideCursor: false,
  });
  const started = performance.now();
  let tokens = 0;
  const rate = () => Math.round(tokens / Math.max(0.001, (performance.now() - started) / 1000));
  let active = false;
  return {
    start(total, done) {
      if (active) bar.stop();
      bar.start(total, done, { phase: 'records', inFlight: 0, tokps: 0 });
      active = true;
    },
    // A phase before the records (preference candidates) shows on the same line, then gives way.
    phase(name, done, total) {
      if (!active) bar.start(total, done, { phase: name, inFlight: 0, tokps: 0 });
      else bar.update(done, { phase: name });
      active = true;
    },
    committed(records, added, inFlight) {
      tokens += added;
      bar.increment(records, { phase: 'records', inFlight, tokps: rate() });
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
