import { defineConfig } from 'vitest/config';

// Real-browser tests: a real agent (child process) and Debian's chromium driven by playwright-core.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // A page answers through a render batch, the WebSocket or an effect: under a loaded CI machine that
    // took over vitest's default second (links.test.ts's URL poll failed once in a fresh-clone run).
    // A poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 10_000 } },
  },
});
