/// <reference types="vite-plugin-pwa/vanillajs" />
// Registers the service worker that vite-plugin-pwa (Workbox, generateSW) builds: it precaches the
// app shell, the pipeline worker and wllama's WebAssembly, so the page opens and runs offline after
// one visit. Models are not cached here: WebLLM and wllama keep their own caches.
import { registerSW } from 'virtual:pwa-register';

const RELOAD_KEY = 'cai-lab:isolation-reload';

/**
 * Static hosts can't send COOP/COEP: the service worker adds them (public/isolation-sw.js), which
 * counts from the next load. So once the service worker is active and the page is still not
 * isolated, reload once (once per tab session, so a browser without `credentialless` doesn't loop),
 * and only while nothing would be lost. Where the server sends the headers, the page is isolated
 * from the start and nothing happens.
 */
async function reloadOnceForIsolation(idle: () => boolean): Promise<void> {
  if (self.crossOriginIsolated || !('serviceWorker' in navigator) || sessionStorage.getItem(RELOAD_KEY)) return;
  await navigator.serviceWorker.ready;
  if (self.crossOriginIsolated || !idle()) return;
  sessionStorage.setItem(RELOAD_KEY, '1');
  location.reload();
}

/**
 * A new version is installed in the background but only applied when the user says so: applying
 * reloads the page, which would interrupt a run in progress.
 */
export class AppUpdate {
  available = $state(false);
  private apply: ((reload?: boolean) => Promise<void>) | null = null;

  /** `idle`: nothing would be lost by reloading the page now (no model loading, no run). */
  register(idle: () => boolean = () => true): void {
    if (!import.meta.env.PROD) return;
    void reloadOnceForIsolation(idle);
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
