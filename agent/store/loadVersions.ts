// Store.writeBatch writes a load's last version of the batch where the load first appears (when it has
// no row yet: the requests after it need its id), and again at its last version when its server's row
// came in between. Every version between the first and the last changes nothing. A load start sends a
// dozen versions, so the pipeline thread drops those before it posts a batch: the main thread neither
// receives them nor walks past them.
import type { CorrelatedRecord } from '../correlate/records.js';

/** `records` without the load versions between each load's first and last in the batch (itself when there are none). */
export function withoutMiddleLoadVersions(records: CorrelatedRecord[]): CorrelatedRecord[] {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let loads = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.kind !== 'load') continue;
    loads++;
    if (!first.has(r.record.key)) first.set(r.record.key, i);
    last.set(r.record.key, i);
  }
  // Each load's versions beyond two are in the middle.
  let kept = 0;
  for (const [key, i] of first) kept += last.get(key) === i ? 1 : 2;
  if (kept === loads) return records;
  return records.filter((r, i) => r.kind !== 'load' || first.get(r.record.key) === i || last.get(r.record.key) === i);
}
