import { usageError } from './errors';

/** `--shard i/n`: this process makes the records whose index % n == i. */
export interface Shard {
  i: number;
  n: number;
}

export function parseShard(text: string | undefined): Shard {
  if (text === undefined) return { i: 0, n: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i >= n) throw usageError(`--shard "${text}": expected i/n with 0 ≤ i < n, e.g. --shard 0/4 (the first of four shards)`);
  return { i, n };
}

export const inShard = (index: number, s: Shard) => index % s.n === s.i;
