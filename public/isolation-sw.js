// Loaded by the service worker (vite.config.ts, workbox.importScripts) before its own routes.
// Static hosts (GitHub Pages, a USB stick) can't send COOP/COEP headers; the service worker adds them
// to the same-origin responses it gives (the page, its scripts, the wasm), so the page becomes
// cross-origin isolated from its next load and llama.cpp may use several threads. `credentialless`
// lets cross-origin model downloads through: they are CORS requests and need no CORP header.
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

function isolated(response) {
  // Opaque and error responses can't be rebuilt; a host that sends its own policy keeps it.
  if (!response || response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  if (response.headers.has('Cross-Origin-Embedder-Policy')) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Registered before Workbox's own listener, so it sees each same-origin fetch first and wraps the
// answer Workbox gives (from its precache or the network) instead of answering itself.
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).origin !== self.location.origin) return;
  const respondWith = event.respondWith.bind(event);
  event.respondWith = (answer) => respondWith(Promise.resolve(answer).then(isolated));
});
