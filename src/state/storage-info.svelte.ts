import { storageEstimate } from '../storage';

/** How much of the browser's storage this page uses, and whether it is protected from eviction. */
export class StorageInfo {
  estimate = $state<{ usage: number; quota: number } | null>(null);
  persisted = $state(false);

  async refresh(): Promise<void> {
    this.estimate = await storageEstimate();
    this.persisted = (await navigator.storage?.persisted?.()) ?? false;
  }
}
