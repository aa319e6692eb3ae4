// `npm run test:unit` runs its files without isolation (vitest.unit.config.ts): what one test may leave
// behind is put back here, so that no later file, in any order, runs with it.
import { afterEach, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});
