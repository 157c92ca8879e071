/** Small helpers for the SVG plots: linear scales and round axis ticks. */

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linear([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): (x: number) => number {
  const span = d1 - d0;
  return span === 0 ? () => (r0 + r1) / 2 : (x) => r0 + ((x - d0) / span) * (r1 - r0);
}

/** A round step (1, 2 or 5 × 10^k) giving about `count` intervals over [0, max]. */
export function niceStep(max: number, count = 5): number {
  const raw = Math.max(max, 1e-9) / Math.max(count, 1);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

/** Ticks 0, step, 2·step … up to the first at or above `max`; the axis then ends on a tick. */
export function ticks(max: number, count = 5): number[] {
  const step = niceStep(max, count);
  const out = [0];
  while (out[out.length - 1]! < max - 1e-9) out.push(+(out[out.length - 1]! + step).toPrecision(12));
  return out;
}

/** Short labels: 1200 → "1.2k", 0.25 → "0.25". */
export function tickLabel(x: number): string {
  if (Math.abs(x) >= 1e6) return `${+(x / 1e6).toFixed(1)}M`;
  if (Math.abs(x) >= 1e3) return `${+(x / 1e3).toFixed(1)}k`;
  return `${+x.toFixed(2)}`;
}

/** Every n-th label, so at most `max` labels fit under an axis. */
export function thin<T>(items: readonly T[], max: number): T[] {
  const every = Math.max(1, Math.ceil(items.length / Math.max(1, max)));
  return items.filter((_, i) => i % every === 0);
}
