/**
 * Small seeded PRNG (a 32-bit xorshift-multiply generator). Recipes draw principles from it so
 * that the same seed gives the same dataset, and a resumed run redraws exactly what it drew before.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    // Avoid the all-zero state, from which this generator would never leave.
    this.state = (Math.floor(seed) >>> 0) || 0x9e3779b9;
  }

  /** Independent stream for one item of a run (e.g. prompt `index`), so resuming at any item is exact. */
  static forItem(seed: number, index: number): Random {
    return new Random(mix32(mix32(seed >>> 0) ^ (index + 1)));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = mix32(this.state + 0x6d2b79f5);
    return this.state / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0)) throw new RangeError(`Random.int needs n > 0, got ${n}`);
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A seed for an engine request, in the positive 31-bit range engines accept. */
  seed(): number {
    return this.int(0x7fffffff);
  }
}

function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
