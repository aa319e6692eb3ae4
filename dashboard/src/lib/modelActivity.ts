// What the newest requests say about each loaded model (its context figures and speeds), in one
// pass over the request list. Pure.
import type { RequestRecord } from '../../../shared/records.js';

/** What the newest requests say about one model. */
export interface ModelActivity {
  /** The newest request with a known `ctxUsed`. */
  context: RequestRecord | null;
  /** The newest known prefill and decode speeds (possibly from different requests). */
  prefillTps: number | null;
  decodeTps: number | null;
}

/**
 * One pass over `rows` (newest first, as the request store keeps them): per model, the newest
 * request with context figures and the newest prefill/decode speeds.
 */
export function activityByModel(rows: readonly RequestRecord[]): ReadonlyMap<string, ModelActivity> {
  const out = new Map<string, ModelActivity>();
  for (const row of rows) {
    if (row.model === null) continue;
    let a = out.get(row.model);
    if (a === undefined) {
      a = { context: null, prefillTps: null, decodeTps: null };
      out.set(row.model, a);
    }
    if (a.context === null && row.ctxUsed !== null) a.context = row;
    if (a.prefillTps === null && row.prefillTps !== null) a.prefillTps = row.prefillTps;
    if (a.decodeTps === null && row.decodeTps !== null) a.decodeTps = row.decodeTps;
  }
  return out;
}

export const NO_ACTIVITY: ModelActivity = Object.freeze({ context: null, prefillTps: null, decodeTps: null });
