// Memory samples: newest first by `at`, one per `at`.
import type { MemorySample } from '../../../shared/memory.js';
import type { ListSpec } from './listSpec.js';

function time(sample: MemorySample): number {
  const t = Date.parse(sample.at);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** One hour of samples at the default 5 s poll interval; unparsable times sort last. */
export const MEMORY_LIST: ListSpec<MemorySample> = { key: (s) => s.at, newestFirst: (a, b) => time(b) - time(a), cap: 720 };
