import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    // Integration tests wait on real processes; a generous limit only matters when something hangs.
    testTimeout: 60_000,
  },
});
