/// <reference types="vite-plugin-pwa/vanillajs" />
// Registers the service worker that vite-plugin-pwa (Workbox, generateSW) builds: it precaches the
// app shell, the pipeline worker and wllama's WebAssembly, so the page opens and runs offline after
// one visit. Models are not cached here: WebLLM and wllama keep their own caches.
import { registerSW } from 'virtual:pwa-register';

if (import.meta.env.PROD) {
  // autoUpdate: a new version installs in the background and the page reloads onto it once it
  // takes control (a run in progress is paused by the reload and listed for Resume).
  registerSW({
    immediate: true,
    onRegisterError: (error) => console.warn('Service worker not registered: the page will not work offline.', error),
  });
}
