import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The page's Content-Security-Policy (see README, "Content-Security-Policy"). Delivered in a
 * <meta http-equiv> tag so the static build needs no server headers; a host that can send headers
 * may send the same string as a `Content-Security-Policy` header, which then also covers the worker.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // Scripts only from this origin; WebAssembly (llama.cpp, WebLLM's model libraries) may compile.
  // No 'unsafe-inline', so neither inline <script> nor on…= attributes run.
  "script-src 'self' 'wasm-unsafe-eval'",
  // The pipeline worker and the service worker come from this origin; wllama starts its
  // llama.cpp worker from a blob: URL.
  "worker-src 'self' blob:",
  // Model downloads: Hugging Face (and the CDNs it redirects to), WebLLM's model libraries on GitHub.
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co https://raw.githubusercontent.com",
  "img-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/**
 * Cross-origin isolation (COOP + COEP): with it the page has SharedArrayBuffer, so llama.cpp in
 * WebAssembly may run on several threads. `credentialless` keeps cross-origin model downloads
 * working: they are CORS requests (Hugging Face, GitHub send CORS headers) and need no CORP header.
 * Hosts that can't send headers get the same from the service worker (src/isolation-sw.ts).
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

/** Adds the CSP <meta> to the built page only: Vite's dev server relies on inline scripts. */
function contentSecurityPolicy(): Plugin {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
  return {
    name: 'cai-lab:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      // Right after <meta charset>, before any script, stylesheet or link the policy governs.
      handler(html) {
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (!charset.test(html)) throw new Error('index.html: <meta charset> not found, cannot place the CSP <meta> after it');
        return html.replace(charset, (m) => `${m}\n    ${meta}`);
      },
    },
  };
}

export default defineConfig({
  // Relative base: the built page works from any origin and sub-path (GitHub Pages, a USB stick).
  base: './',
  plugins: [
    svelte(),
    VitePWA({
      strategies: 'generateSW',
      // 'prompt': the page offers the update instead of reloading by itself mid-run.
      registerType: 'prompt',
      // Registered from src/pwa.ts: the plugin's injected registration would be an extra <script>.
      injectRegister: false,
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'CAI Lab — Constitutional AI data in your browser',
        short_name: 'CAI Lab',
        description: 'Make Constitutional-AI training data with a small language model running in your browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#2b59c3',
        icons: [
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
          { src: 'maskable-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell, the worker chunk (~6.3 MB, WebLLM inside) and wllama's wasm (~10 MB); the
        // plugin adds the manifest, its icons and includeAssets.
        globPatterns: ['**/*.{html,js,css,wasm}'],
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // No runtime caching: model files are cached by WebLLM (Cache API) and wllama (OPFS) themselves,
        // and every other request goes to the network untouched.
        runtimeCaching: [],
        // Adds COOP/COEP to what the service worker answers, for hosts that can't send headers.
        importScripts: ['isolation-sw.js'],
      },
    }),
    contentSecurityPolicy(),
  ],
  worker: { format: 'es' },
  optimizeDeps: { include: ['comlink', 'idb-keyval', '@mlc-ai/web-llm', '@wllama/wllama'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  server: { headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});
