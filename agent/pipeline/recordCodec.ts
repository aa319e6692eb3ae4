// How the pipeline thread's records cross to the main thread: one flat array per batch, a request as
// a marker and its values in REQUEST_FIELDS order, any other record as itself, serialised with V8's
// serializer (what postMessage would use) into bytes that are transferred, not copied. A request's
// field names were half of the JSON sent before, and JSON.parse building keyed objects was the main
// thread's largest cost after the store; an object literal built from the values costs a fraction
// of it. The serializer carries every value exactly (NaN, undefined), so nothing needs checking.
// The fields whose few values repeat from request to request (method, path, client, kind, model,
// backend) go as numbers into a table of the batch's strings, sent once: every string the main
// thread's deserializer makes is an allocation, and these were three quarters of them.
import { deserialize, serialize } from 'node:v8';
import type { CorrelatedRecord, NewRequest } from '../correlate/records.js';

/** A request's fields, in the order its values are sent (and decodeRecords builds them back). */
export const REQUEST_FIELDS = [
  'key',
  'at',
  'ts',
  'method',
  'path',
  'status',
  'latencyMs',
  'client',
  'kind',
  'model',
  'backend',
  'promptTokens',
  'completionTokens',
  'prefillTps',
  'decodeTps',
  'ctxUsed',
  'ctxLimit',
  'truncated',
  'peakMemoryBytes',
  'modelMemoryBytes',
  'kvBytes',
  'kvUsedBytes',
  'kvFill',
  'loadKey',
] as const satisfies readonly (keyof NewRequest)[];

/** Precedes a request's values; anything else in the array is a whole record. */
const REQUEST = 0;
const SLOTS = REQUEST_FIELDS.length + 1;

/** A batch's repeated strings, each given a number the first time it is seen. */
class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** A number for a string; null and anything else that is not a string are kept as themselves. */
  ref(s: unknown): unknown {
    if (typeof s !== 'string') return s === null ? null : { value: s };
    let i = this.index.get(s);
    if (i === undefined) this.index.set(s, (i = this.strings.push(s) - 1));
    return i;
  }
}

/** Back from StringTable.ref. */
const deref = (strings: readonly string[], v: unknown): never =>
  (typeof v === 'number' ? strings[v] : v === null ? null : (v as { value: unknown }).value) as never;

export function encodeRecords(records: readonly CorrelatedRecord[]): Uint8Array {
  let n = 1;
  for (const r of records) n += r.kind === 'request' ? SLOTS : 1;
  // Sized once and filled by index: pushing 25 values at a time cost several times more.
  const out: unknown[] = new Array(n);
  const table = new StringTable();
  let i = 1;
  for (const r of records) {
    if (r.kind !== 'request') {
      out[i++] = r;
      continue;
    }
    // Spelt out: named reads of one shape cost a fraction of reads by a key from the list.
    const q = r.record;
    out[i] = REQUEST;
    out[i + 1] = q.key;
    out[i + 2] = q.at;
    out[i + 3] = q.ts;
    out[i + 4] = table.ref(q.method);
    out[i + 5] = table.ref(q.path);
    out[i + 6] = q.status;
    out[i + 7] = q.latencyMs;
    out[i + 8] = table.ref(q.client);
    out[i + 9] = table.ref(q.kind);
    out[i + 10] = table.ref(q.model);
    out[i + 11] = table.ref(q.backend);
    out[i + 12] = q.promptTokens;
    out[i + 13] = q.completionTokens;
    out[i + 14] = q.prefillTps;
    out[i + 15] = q.decodeTps;
    out[i + 16] = q.ctxUsed;
    out[i + 17] = q.ctxLimit;
    out[i + 18] = q.truncated;
    out[i + 19] = q.peakMemoryBytes;
    out[i + 20] = q.modelMemoryBytes;
    out[i + 21] = q.kvBytes;
    out[i + 22] = q.kvUsedBytes;
    out[i + 23] = q.kvFill;
    out[i + 24] = q.loadKey;
    i += SLOTS;
  }
  out[0] = table.strings;
  return serialize(out);
}

export function decodeRecords(bytes: Uint8Array): CorrelatedRecord[] {
  const v = deserialize(bytes) as never[];
  const strings = (v as unknown[])[0] as string[];
  const records: CorrelatedRecord[] = [];
  for (let i = 1; i < v.length;) {
    if (v[i] !== REQUEST) {
      records.push(v[i++]!);
      continue;
    }
    const record: NewRequest = {
      key: v[i + 1]!,
      at: v[i + 2]!,
      ts: v[i + 3]!,
      method: deref(strings, v[i + 4]),
      path: deref(strings, v[i + 5]),
      status: v[i + 6]!,
      latencyMs: v[i + 7]!,
      client: deref(strings, v[i + 8]),
      kind: deref(strings, v[i + 9]),
      model: deref(strings, v[i + 10]),
      backend: deref(strings, v[i + 11]),
      promptTokens: v[i + 12]!,
      completionTokens: v[i + 13]!,
      prefillTps: v[i + 14]!,
      decodeTps: v[i + 15]!,
      ctxUsed: v[i + 16]!,
      ctxLimit: v[i + 17]!,
      truncated: v[i + 18]!,
      peakMemoryBytes: v[i + 19]!,
      modelMemoryBytes: v[i + 20]!,
      kvBytes: v[i + 21]!,
      kvUsedBytes: v[i + 22]!,
      kvFill: v[i + 23]!,
      loadKey: v[i + 24]!,
    };
    records.push({ kind: 'request', record });
    i += SLOTS;
  }
  return records;
}
