// Unit tests: fast, node-only. E2E tests live in vitest.e2e.config.ts and need a build + Chromium.
// This file replaces vite.config.ts for vitest, so it adds the Svelte plugin itself
// (needed when a test imports a .svelte or rune-using .svelte.ts module).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  test: {
    environment: 'node',
    include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
    // An empty suite is not an error while the app is young.
    passWithNoTests: true,
    // A unit test that reads every source file or starts a process can take 10 s on a busy 2-core
    // machine (CI's kind); 5 s made such tests fail by time alone.
    testTimeout: 30_000,
  },
});
