// Builds the benchmark page (bench/) on its own, so nothing of it ships in the app's dist/.
import { defineConfig } from 'vite';
import { ISOLATION_HEADERS } from './vite.config.ts';

export default defineConfig({
  root: 'bench',
  base: './',
  worker: { format: 'es' },
  build: { outDir: '../dist-bench', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
  // Cross-origin isolated, so wllama may run on several threads (the thread figures need it).
  preview: { headers: ISOLATION_HEADERS },
});
