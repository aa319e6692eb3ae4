// What the correlator emits. Each record carries a `key`, unique within its log source, so the
// store can upsert records that grow as lines arrive (a load's KV size, a server's devices) and link
// requests and incidents to loads before any of them has a row id.
import type {
  ApiLoadFields,
  IncidentRecord,
  LiveRequestFields,
  ProxyRequestFields,
  LoadRecord,
  RequestRecord,
  ServerRunRecord,
} from '../../shared/records.js';

/** `ts` is epoch ms of `at` (null when the time is unknown), for ordering and ranges. */
interface Keyed {
  key: number;
  ts: number | null;
}

export type NewRequest = Omit<RequestRecord, 'id' | 'loadId' | ProxyRequestFields | LiveRequestFields> &
  Keyed & { ts: number; loadKey: number | null };
export type NewServerRun = Omit<ServerRunRecord, 'id'> & Keyed;
export type NewLoad = Omit<LoadRecord, 'id' | ApiLoadFields> & Keyed & { serverKey: number | null };
export type NewIncident = Omit<IncidentRecord, 'id' | 'loadId' | 'requestId'> &
  Keyed & { loadKey: number | null; requestKey: number | null };

/** `server` and `load` records are upserts: a later record with the same key replaces the earlier one. */
export type CorrelatedRecord =
  | { kind: 'server'; record: NewServerRun }
  | { kind: 'load'; record: NewLoad }
  | { kind: 'request'; record: NewRequest }
  | { kind: 'incident'; record: NewIncident };
