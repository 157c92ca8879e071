/**
 * Work split into numbered pieces, made a few at a time (possibly by different threads) and
 * handed on strictly in order: the export writes files in record order, the list fills in order.
 */
export async function* inOrder<T>(count: number, make: (i: number) => Promise<T>, inFlight: number, signal?: AbortSignal): AsyncGenerator<T> {
  const pending: Promise<T>[] = [];
  let next = 0;
  const launch = () => {
    const made = make(next++);
    made.catch(() => undefined); // awaited in order below; never an unhandled rejection meanwhile
    pending.push(made);
  };
  while (next < count && pending.length < Math.max(1, inFlight)) launch();
  while (pending.length) {
    signal?.throwIfAborted();
    const piece = await pending.shift()!;
    if (next < count) launch();
    yield piece;
  }
}
