// E2E tests: drive a real Chromium against `vite preview` of the production build (dist/).
// One file at a time: each test starts its own server and browser, which are heavy.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
