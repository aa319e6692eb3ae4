// CPU time of each of this process's threads (Linux: /proc/self/task/*/stat), so a run on a busy
// machine can still say where the work went: wall-clock MB/s there mostly measures the others.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** ms of CPU by thread id, or null where /proc is not there. */
export function threadCpu() {
  let tids;
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const ms = new Map();
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms.set(tid, ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_S);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return ms;
}

/**
 * Between two snapshots: the main thread's CPU, the busiest thread started in between (the
 * pipeline thread, when one ran) and all the others (V8's compiler and GC helpers, the WAL
 * checkpointer, libuv's pool), in ms.
 */
export function cpuBetween(before, after) {
  if (before === null || after === null) return null;
  const main = String(process.pid);
  let started = 0;
  let others = 0;
  for (const [tid, ms] of after) {
    if (tid === main) continue;
    const d = ms - (before.get(tid) ?? 0);
    if (!before.has(tid) && d > started) {
      others += started;
      started = d;
    } else others += d;
  }
  return { main: after.get(main) - before.get(main), pipeline: started, others };
}
