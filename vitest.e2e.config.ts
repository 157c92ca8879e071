// E2E tests: drive a real Chromium against `vite preview` of the production build (dist/).
// One file at a time: each test starts its own server and browser, which are heavy.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    // Twice the slowest test's time on a busy 2-core machine; tests wait on events, not sleeps.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
