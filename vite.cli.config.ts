// The command line (src/cli) as one Node ES module, dist-cli/cai-lab.mjs: Node 20 runs no
// TypeScript, so it is bundled like the page. Node's built-ins stay imports; npm packages the
// CLI uses (eventsource-parser, cli-progress) are bundled in, so the file runs on its own.
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'src/cli/cli.ts',
    outDir: 'dist-cli',
    // `npm run build:cli` empties dist-cli/; bin/cai-lab.mjs builds into a scratch folder of its own (--outDir).
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      output: { entryFileNames: 'cai-lab.mjs', format: 'es' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
  logLevel: 'warn',
});
