// Builds the benchmark page (bench/) on its own, so nothing of it ships in the app's dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'bench',
  base: './',
  worker: { format: 'es' },
  build: { outDir: '../dist-bench', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
});
