// Model loads (runner processes): the snapshot's list plus `load` deltas, replaced by id. Joined to
// the loaded models on `LoadedModel.loadId` for the backend and GPU layers.
import type { LoadRecord } from '../../../shared/records.js';
import { BatchedList, type BatchedListOptions } from './batchedList.svelte.js';
import { indexLoads, LOAD_LIST } from './loadList.js';

export class LoadsStore extends BatchedList<LoadRecord> {
  /** The same loads by id. */
  readonly byId: ReadonlyMap<number, LoadRecord> = $derived(indexLoads(this.items));

  constructor(options: BatchedListOptions = {}) {
    super(LOAD_LIST, options);
  }
}
