// How the pipeline thread's records cross to the main thread. Requests, nearly all of a batch, go in
// columns: their numbers in one Float64Array (with a null mask beside it), the strings whose few values
// repeat (method, path, client, kind, model, backend) as numbers into a table of the batch's strings,
// each sent once. Typed arrays are transferred, not copied, and building an object literal from them
// costs a fraction of what V8's deserializer takes to make the same object, key by key (it was the
// main thread's largest cost after the store). Any other record, and a request with a value of a
// type its column cannot hold, goes whole through postMessage's structured clone, so every value
// arrives exactly as it was made (NaN, undefined, a number where a string was expected).
import type { CorrelatedRecord, NewRequest } from '../correlate/records.js';

/** A request's fields, in the order decodeRecords builds them. */
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

/** Numbers per request in `numbers` (and flags in `nulls`), in the order RequestColumns.put writes them. */
const NUMBERS = 16;
/** Table references per request in `refs`. */
const REFS = 6;
const IS_REQUEST = 1;

/** One batch's records, as they are posted (with `transfer`'s buffers moved, not copied). */
export interface EncodedRecords {
  /** Per record, in order: IS_REQUEST for the next request of the columns, else the next of `others`. */
  order: Uint8Array;
  numbers: Float64Array;
  /** 1 where the number is null. */
  nulls: Uint8Array;
  /** Indices into `strings`, -1 for null. */
  refs: Int32Array;
  /** -1 null, 0 false, 1 true. */
  truncated: Int8Array;
  at: string[];
  strings: string[];
  others: CorrelatedRecord[];
}

/** A batch's repeated strings, each given a number the first time it is seen. */
class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  ref(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) this.index.set(s, (i = this.strings.push(s) - 1));
    return i;
  }
}

/** Columns for `capacity` requests, filled one request at a time. */
class RequestColumns {
  readonly numbers: Float64Array;
  readonly nulls: Uint8Array;
  readonly refs: Int32Array;
  readonly truncated: Int8Array;
  readonly at: string[] = [];
  readonly table = new StringTable();

  constructor(capacity: number) {
    this.numbers = new Float64Array(capacity * NUMBERS);
    this.nulls = new Uint8Array(capacity * NUMBERS);
    this.refs = new Int32Array(capacity * REFS);
    this.truncated = new Int8Array(capacity);
  }

  /** Writes request number `row`; false (and nothing to keep of the row) when a value does not fit its column. */
  put(row: number, q: NewRequest): boolean {
    if (typeof q.at !== 'string') return false;
    const t = q.truncated;
    if (t !== null && typeof t !== 'boolean') return false;
    const n = row * NUMBERS;
    // Spelt out: named reads of one shape cost a fraction of reads by a key from a list.
    const ok =
      this.num(n, q.key) &&
      this.num(n + 1, q.ts) &&
      this.num(n + 2, q.status) &&
      this.num(n + 3, q.latencyMs) &&
      this.num(n + 4, q.promptTokens) &&
      this.num(n + 5, q.completionTokens) &&
      this.num(n + 6, q.prefillTps) &&
      this.num(n + 7, q.decodeTps) &&
      this.num(n + 8, q.ctxUsed) &&
      this.num(n + 9, q.ctxLimit) &&
      this.num(n + 10, q.peakMemoryBytes) &&
      this.num(n + 11, q.modelMemoryBytes) &&
      this.num(n + 12, q.kvBytes) &&
      this.num(n + 13, q.kvUsedBytes) &&
      this.num(n + 14, q.kvFill) &&
      this.num(n + 15, q.loadKey);
    if (!ok) return false;
    const s = row * REFS;
    if (!(this.str(s, q.method) && this.str(s + 1, q.path) && this.str(s + 2, q.client))) return false;
    if (!(this.str(s + 3, q.kind) && this.str(s + 4, q.model) && this.str(s + 5, q.backend))) return false;
    this.truncated[row] = t === null ? -1 : t ? 1 : 0;
    this.at.push(q.at);
    return true;
  }

  private num(i: number, v: unknown): boolean {
    if (typeof v === 'number') {
      this.numbers[i] = v;
      this.nulls[i] = 0;
      return true;
    }
    this.nulls[i] = 1;
    return v === null;
  }

  private str(i: number, v: unknown): boolean {
    if (typeof v === 'string') {
      this.refs[i] = this.table.ref(v);
      return true;
    }
    this.refs[i] = -1;
    return v === null;
  }
}

/** The batch's records and the buffers to transfer with them. */
export function encodeRecords(records: readonly CorrelatedRecord[]): { encoded: EncodedRecords; transfer: ArrayBuffer[] } {
  let requests = 0;
  for (const r of records) if (r.kind === 'request') requests++;
  const columns = new RequestColumns(requests);
  const order = new Uint8Array(records.length);
  const others: CorrelatedRecord[] = [];
  let row = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.kind === 'request' && columns.put(row, r.record)) {
      order[i] = IS_REQUEST;
      row++;
    } else others.push(r);
  }
  const { numbers, nulls, refs, truncated, at, table } = columns;
  const encoded: EncodedRecords = { order, numbers, nulls, refs, truncated, at, strings: table.strings, others };
  return { encoded, transfer: [order.buffer, numbers.buffer, nulls.buffer, refs.buffer, truncated.buffer] as ArrayBuffer[] };
}

export function decodeRecords(e: EncodedRecords): CorrelatedRecord[] {
  const { order, numbers: f, nulls, refs, truncated, at, strings, others } = e;
  const num = (i: number): number | null => (nulls[i] === 1 ? null : f[i]!);
  const str = (i: number): string | null => (refs[i]! < 0 ? null : strings[refs[i]!]!);
  const records: CorrelatedRecord[] = [];
  let row = 0;
  let other = 0;
  for (let i = 0; i < order.length; i++) {
    if (order[i] !== IS_REQUEST) {
      records.push(others[other++]!);
      continue;
    }
    const n = row * NUMBERS;
    const s = row * REFS;
    const t = truncated[row]!;
    // Null only where the record had null: a value its column could not hold went whole, in `others`.
    const record = {
      key: num(n),
      at: at[row]!,
      ts: num(n + 1),
      method: str(s),
      path: str(s + 1),
      status: num(n + 2),
      latencyMs: num(n + 3),
      client: str(s + 2),
      kind: str(s + 3),
      model: str(s + 4),
      backend: str(s + 5),
      promptTokens: num(n + 4),
      completionTokens: num(n + 5),
      prefillTps: num(n + 6),
      decodeTps: num(n + 7),
      ctxUsed: num(n + 8),
      ctxLimit: num(n + 9),
      truncated: t < 0 ? null : t === 1,
      peakMemoryBytes: num(n + 10),
      modelMemoryBytes: num(n + 11),
      kvBytes: num(n + 12),
      kvUsedBytes: num(n + 13),
      kvFill: num(n + 14),
      loadKey: num(n + 15),
    } as NewRequest;
    records.push({ kind: 'request', record });
    row++;
  }
  return records;
}
