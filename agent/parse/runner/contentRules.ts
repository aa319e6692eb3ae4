// Facts recognised by what a line says, whatever printed it: out-of-memory evidence comes from Metal,
// CUDA, Vulkan, ggml's allocators and llama.cpp's context set-up, each with its own prefix (or none),
// and the "no GPU offload" warning comes from llama.cpp, the C++ runner and llama-server alike.
// Cheap substring gates keep the case-insensitive regexes off the ordinary line.
import type { LineEvent } from '../events.js';
import { clip } from './shared.js';

const OOM = /out ?of ?(?:device ?|host ?)?memory|insufficient memory|failed to allocate|command buffer \d+ failed with status/i;
const NO_GPU = /not compiled with GPU offload support|no usable GPU found/i;

// One case-sensitive scan that every OOM or no-GPU wording passes (`Memory`, `memory`, `MEMORY`,
// `allocate`, `compiled`, …); measured faster than several `includes` or one case-insensitive regex.
const GATE = /emory|EMORY|llocate|command buffer|ompiled|usable GPU/;

/** Scans `scan` (the whole line, or just a runner record's message); the event quotes `line`. */
export function contentEvent(scan: string, line = scan): LineEvent | null {
  if (!GATE.test(scan)) return null;
  if (OOM.test(scan)) return { type: 'oom', at: null, text: clip(line) };
  if (NO_GPU.test(scan)) return { type: 'gpu_unsupported', text: clip(line) };
  return null;
}
