import { storageEstimate, sweepOrphans } from '../storage';

/** How much of the browser's storage this page uses, and whether it is protected from eviction. */
export class StorageInfo {
  estimate = $state<{ usage: number; quota: number } | null>(null);
  persisted = $state(false);
  /** What the start-up sweep freed, in words; null when there was nothing to free. */
  swept = $state<string | null>(null);

  /** Removes data no listed dataset or run owns (an import cut off mid-way), and says so. */
  async sweep(): Promise<void> {
    try {
      const { owners, bytes } = await sweepOrphans();
      if (owners > 0) this.swept = `Freed ${(bytes / 1024 / 1024).toFixed(1)} MB of storage left by ${owners === 1 ? 'an import or run' : `${owners} imports or runs`} that did not finish.`;
      if (owners > 0) await this.refresh();
    } catch (error) {
      console.warn('Could not sweep unowned data:', error);
    }
  }

  async refresh(): Promise<void> {
    this.estimate = await storageEstimate();
    this.persisted = (await navigator.storage?.persisted?.()) ?? false;
  }
}
