/** Model load progress, the same shape for both engines. */
export interface LoadProgress {
  phase: 'download' | 'init' | 'ready';
  /** Bytes fetched so far (0 when unknown). */
  loaded: number;
  /** Total bytes, when known. */
  total: number | null;
  /** 0..1 */
  fraction: number;
  text: string;
}

/** WebLLM reports text only: "Fetching param cache[3/24]: 120MB fetched. 40% completed, …". */
export function parseWebLlmProgress(report: { progress: number; text: string }): LoadProgress {
  const fetched = /(\d+(?:\.\d+)?)MB fetched\. (\d+)% completed/.exec(report.text);
  if (fetched) {
    const loaded = Number(fetched[1]) * 1e6;
    const percent = Number(fetched[2]);
    return {
      phase: 'download',
      loaded,
      total: percent > 0 ? Math.round(loaded / (percent / 100)) : null,
      fraction: percent / 100,
      text: report.text,
    };
  }
  return { phase: report.progress >= 1 ? 'ready' : 'init', loaded: 0, total: null, fraction: report.progress, text: report.text };
}
