/// <reference types="vite-plugin-pwa/vanillajs" />
// Registers the service worker that vite-plugin-pwa (Workbox, generateSW) builds: it precaches the
// app shell, the pipeline worker and wllama's WebAssembly, so the page opens and runs offline after
// one visit. Models are not cached here: WebLLM and wllama keep their own caches.
import { registerSW } from 'virtual:pwa-register';

/**
 * A new version is installed in the background but only applied when the user says so: applying
 * reloads the page, which would interrupt a run in progress.
 */
export class AppUpdate {
  available = $state(false);
  private apply: ((reload?: boolean) => Promise<void>) | null = null;

  register(): void {
    if (!import.meta.env.PROD) return;
    this.apply = registerSW({
      immediate: true,
      onNeedRefresh: () => (this.available = true),
      onRegisterError: (error) => console.warn('Service worker not registered: the page will not work offline.', error),
    });
  }

  async reload(): Promise<void> {
    await this.apply?.(true);
  }
}
