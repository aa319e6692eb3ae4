// Model loads (runners): newest first (highest id), one per id, joined to the loaded models by id.
import type { LoadRecord } from '../../../shared/records.js';
import { byIdNewestFirst, type ListSpec } from './listSpec.js';

/** The dashboard keeps 200 loads (the snapshot sends at most 50). */
export const LOAD_LIST: ListSpec<LoadRecord> = { key: (l) => l.id, newestFirst: byIdNewestFirst, cap: 200 };

/** Index loads by id, for joining `LoadedModel.loadId`. */
export function indexLoads(loads: readonly LoadRecord[]): ReadonlyMap<number, LoadRecord> {
  return new Map(loads.map((l) => [l.id, l]));
}
