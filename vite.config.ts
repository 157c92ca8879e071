import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative base: the built page works from any origin and sub-path (GitHub Pages, a USB stick).
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  optimizeDeps: { include: ['comlink', 'idb-keyval', '@mlc-ai/web-llm', '@wllama/wllama'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  preview: { host: '127.0.0.1' },
});
