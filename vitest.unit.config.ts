import { defineConfig } from 'vitest/config';

// `npm run test:unit`: the fast loop, without a build. Parsers, correlators, stores on real SQLite files, the
// dashboard's logic and the demo's simulator, all in this process. Left to `npm test`: what needs dist/ or a child
// process (test/integration, test/hostile, test/corpus's CLI runs) and the tests listed below.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/dashboard/**/*.test.ts', 'test/demo/**/*.test.ts'],
    exclude: [
      // Runs scripts/ensure-built.mjs in a child process.
      'test/unit/ensureBuilt.test.ts',
      // Its worker thread loads dist/agent/store/checkpointWorker.js, and one case starts a child node.
      'test/unit/store/wal/checkpointer.test.ts',
      // Waits out the simulated turns' real latencies (about 30 s).
      'test/demo/proxied.test.ts',
    ],
    // Every file in one module graph per worker: 154 files each importing the agent afresh spent most of the
    // loop's 68 s on imports (23 s like this, measured). The files share no module state; the setup file puts
    // back what a test may leave behind (fake timers, spies, stubbed globals). `npm test` still isolates them.
    isolate: false,
    setupFiles: ['test/helpers/unitSetup.ts'],
  },
});
