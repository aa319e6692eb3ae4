import { defineConfig } from 'vitest/config';

// Real-browser tests: a real agent (child process) and Debian's chromium driven by playwright-core.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
