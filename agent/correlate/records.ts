import type { RequestRecord } from '../../shared/types.js';

/** A request before the store gave it an id; `ts` is epoch ms of `at`, for ordering and ranges. */
export type NewRequest = Omit<RequestRecord, 'id'> & { ts: number };

export interface NewServerRun {
  at: string | null;
  ts: number | null;
  address: string;
  version: string | null;
}

export type CorrelatedRecord = { kind: 'request'; record: NewRequest } | { kind: 'server'; record: NewServerRun };
