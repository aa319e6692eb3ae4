import { Hono } from 'hono';
import type { MachineInfo, ProbeStatus } from '../../../shared/memory.js';
import type { MemorySampleStore } from '../../store/MemorySampleStore.js';
import { intParam, rejectUnknownParams, timeWindow } from '../query.js';

export interface MemoryRouteDeps {
  memory: MemorySampleStore;
  machine: () => MachineInfo | null;
  probes: () => ProbeStatus[];
  now?: () => number;
}

/**
 * Memory samples over `range=` (15m…30d) or `from`/`to`, oldest first, thinned to `points` buckets
 * (worst pressure per bucket) so long windows stay small. With the machine and which probes work.
 */
export function memoryRoute({ memory, machine, probes, now = Date.now }: MemoryRouteDeps): Hono {
  return new Hono().get('/', (c) => {
    const q = c.req.query();
    rejectUnknownParams(q, ['range', 'from', 'to', 'points']);
    const { from, to } = timeWindow(q, now());
    const points = intParam(q.points, 'points', { min: 10, max: 5000, fallback: 720 })!;
    const { samples, bucketMs } = memory.range(from, to, points);
    return c.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      bucketMs,
      items: samples,
      machine: machine(),
      probes: probes(),
    });
  });
}
