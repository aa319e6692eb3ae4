// The log's records in SQLite, written in batches; RecordReads, which it extends, reads them back (the
// other tables have classes of their own beside this one, and the proxy and retention prepare theirs). Statements are prepared once; each
// ingest batch is one transaction that writes the rows and moves the source's resume point together.
// Records arrive with per-source keys; server runs and loads are upserts by key, and references are
// resolved to row ids here.
import type { Database, Statement } from 'better-sqlite3';
import type { IncidentRecord, LoadRecord, RequestLiveMemory, RequestRecord } from '../../shared/records.js';
import type { CorrelatedRecord, NewLoad } from '../correlate/records.js';
import { LOAD_COLUMNS, incidentParams, loadParams, rowToLoad, serverParams, type LoadRow } from './recordRows.js';
import { INSERT_REQUEST_SQL, NO_LIVE_MEMORY, requestFromNew, requestParams } from './requestRows.js';
import type { RollupIncident, RollupRequest } from './requestAgg.js';
import { RecordReads } from './RecordReads.js';
import { Rollups } from './Rollups.js';

export interface ResumePoint {
  sourceId: number;
  path: string;
  identity: string | null;
  fingerprint: string | null;
  offset: number;
  linesRead: number;
  stateJson: string | null;
}

export interface BatchResult {
  requests: RequestRecord[];
  /** Each load once, as it stands after the batch. */
  loads: LoadRecord[];
  incidents: IncidentRecord[];
}

type Id = { id: number } | undefined;

const withModel = <T extends { model: string | null }>(r: T, model: string | null): T => (model === null ? r : { ...r, model });

export class Store extends RecordReads {
  private readonly s: Record<
    | 'sourceByPath'
    | 'insertSource'
    | 'saveResumePoint'
    | 'insertRequest'
    | 'upsertServer'
    | 'upsertLoad'
    | 'insertIncident'
    | 'serverIdByKey'
    | 'loadIdByKey'
    | 'requestIdByKey'
    | 'requestCount'
    | 'loadModelById',
    Statement
  >;
  /** Kept in step with the table so status updates need no count(*) over a large table. */
  private count: number;
  /**
   * Row ids of loads by source and key: every request and incident looks its load up (numbers, not a
   * `source:key` string: a string built per request cost more than the lookup).
   */
  private readonly loadIds = new Map<number, Map<number, number>>();
  /** Model names of loads by row id, so requests and incidents of a load known by its blob get its name. */
  private readonly loadModels = new Map<number, string>();
  /** Minute and hour aggregates, written in each batch's transaction. */
  private readonly rollups: Rollups;

  /**
   * `names` maps a weights blob to its model name (learnt from /api/show), for logs that name only the blob;
   * `live` gives what the live agent knows of a request's memory (its load's size, the machine sample) without a query.
   */
  constructor(
    db: Database,
    private readonly names: { get(blob: string): string | undefined } = new Map(),
    private readonly live: { forRequest(tsMs: number, loadId: number | null): RequestLiveMemory } | null = null,
  ) {
    super(db);
    this.s = {
      sourceByPath: db.prepare('SELECT id, path, identity, fingerprint, offset, lines_read, state_json FROM sources WHERE path = ?'),
      insertSource: db.prepare('INSERT INTO sources (path) VALUES (?) ON CONFLICT (path) DO NOTHING'),
      saveResumePoint: db.prepare(
        'UPDATE sources SET identity = ?, fingerprint = ?, offset = ?, lines_read = ?, state_json = ?, updated_at = ? WHERE id = ?',
      ),
      insertRequest: db.prepare(INSERT_REQUEST_SQL),
      upsertServer: db.prepare(
        `INSERT INTO server_runs (source_id, key, at, ts, address, version, config_json, devices_json, default_ctx)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_id, key) DO UPDATE SET at = excluded.at, ts = excluded.ts, address = excluded.address,
           version = excluded.version, config_json = excluded.config_json, devices_json = excluded.devices_json,
           default_ctx = excluded.default_ctx`,
      ),
      upsertLoad: db.prepare(
        `INSERT INTO loads (source_id, key, server_id, at, ts, model, blob, display_name, engine, backend, device, ctx, parallel,
           kv_bytes, gpu_layers, total_layers, load_seconds, outcome, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_id, key) DO UPDATE SET server_id = excluded.server_id, at = excluded.at, ts = excluded.ts,
           model = COALESCE(excluded.model, loads.model), blob = excluded.blob, display_name = excluded.display_name, engine = excluded.engine, backend = excluded.backend,
           device = excluded.device, ctx = excluded.ctx, parallel = excluded.parallel, kv_bytes = excluded.kv_bytes,
           gpu_layers = excluded.gpu_layers, total_layers = excluded.total_layers, load_seconds = excluded.load_seconds,
           outcome = excluded.outcome, error = excluded.error
         RETURNING ${LOAD_COLUMNS}`,
      ),
      insertIncident: db.prepare(
        `INSERT INTO incidents (source_id, key, at, ts, kind, model, detail, load_id, request_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      serverIdByKey: db.prepare('SELECT id FROM server_runs WHERE source_id = ? AND key = ?'),
      loadIdByKey: db.prepare('SELECT id FROM loads WHERE source_id = ? AND key = ?'),
      requestIdByKey: db.prepare('SELECT id FROM requests WHERE source_id = ? AND key = ?'),
      requestCount: db.prepare('SELECT count(*) AS n FROM requests'),
      loadModelById: db.prepare('SELECT model FROM loads WHERE id = ?'),
    };
    this.count = (this.s.requestCount.get() as { n: number }).n;
    this.rollups = new Rollups(db);
    // A database from before the rollup tables gets its history once.
    this.rollups.backfillIfEmpty();
  }

  /** The resume point of a source, creating the source on first sight. */
  resumePoint(path: string): ResumePoint {
    this.s.insertSource.run(path);
    const r = this.s.sourceByPath.get(path) as {
      id: number;
      path: string;
      identity: string | null;
      fingerprint: string | null;
      offset: number;
      lines_read: number;
      state_json: string | null;
    };
    return {
      sourceId: r.id,
      path: r.path,
      identity: r.identity,
      fingerprint: r.fingerprint,
      offset: r.offset,
      linesRead: r.lines_read,
      stateJson: r.state_json,
    };
  }

  private idOf(stmt: Statement, sourceId: number, key: number | null): number | null {
    return key === null ? null : ((stmt.get(sourceId, key) as Id)?.id ?? null);
  }

  /** Writes the records of one read burst and the resume point after them, atomically. */
  writeBatch(records: readonly CorrelatedRecord[], cp: ResumePoint, now: number): BatchResult {
    const requests: RequestRecord[] = [];
    const loads = new Map<number, LoadRecord>();
    const incidents: IncidentRecord[] = [];
    const src = cp.sourceId;
    // Incidents mostly concern a request of the same batch.
    const requestIds = new Map<number, number>();
    // What the rollups get, as stored (model resolved from the load).
    const rolledRequests: RollupRequest[] = [];
    const rolledIncidents: RollupIncident[] = [];
    const loadId = (key: number | null): number | null => {
      if (key === null) return null;
      const cached = this.loadIds.get(src)?.get(key);
      return cached ?? this.idOf(this.s.loadIdByKey, src, key);
    };
    // A load is re-sent whole each time it changes (a start can change it ten times); within a batch
    // only its last version is written: where it first appears when it has no row yet (the requests
    // after it need its id), and again at its end only if its server's row appeared in between. (The
    // pipeline thread drops the versions between before posting a batch: loadVersions.ts.)
    const lastOfLoad = new Map<number, number>();
    records.forEach((rec, i) => {
      if (rec.kind === 'load') lastOfLoad.set(rec.record.key, i);
    });
    /** Loads written ahead with their last version, and the server row id they were written with. */
    const writtenAhead = new Map<number, number | null>();
    const writeLoad = (record: NewLoad, serverId: number | null): void => {
      const named = record.model === null && record.blob !== null ? this.names.get(record.blob) : undefined;
      const load = rowToLoad(
        this.s.upsertLoad.get(...loadParams(src, serverId, named === undefined ? record : { ...record, model: named })) as LoadRow,
      );
      loads.set(load.id, load);
      // Caches, refilled from the table on demand.
      if ((this.loadIds.get(src)?.size ?? 0) > 10_000) this.loadIds.clear();
      if (this.loadModels.size > 10_000) this.loadModels.clear();
      let ids = this.loadIds.get(src);
      if (ids === undefined) this.loadIds.set(src, (ids = new Map<number, number>()));
      ids.set(record.key, load.id);
      if (load.model !== null) this.loadModels.set(load.id, load.model);
    };
    try {
      this.db.transaction(() => {
        for (let i = 0; i < records.length; i++) {
          const rec = records[i]!;
          switch (rec.kind) {
            case 'request': {
              const load = loadId(rec.record.loadKey);
              const r = rec.record.model === null && load !== null ? withModel(rec.record, this.modelOfLoad(load)) : rec.record;
              // The row is exactly what was written; reading it back would cost as much as the insert.
              const m = this.live === null ? NO_LIVE_MEMORY : this.live.forRequest(r.ts, load);
              const id = Number(this.s.insertRequest.run(...requestParams(src, load, r, m)).lastInsertRowid);
              requestIds.set(r.key, id);
              rolledRequests.push(r);
              requests.push(requestFromNew(id, load, r, m));
              break;
            }
            case 'server':
              this.s.upsertServer.run(...serverParams(src, rec.record));
              break;
            case 'load': {
              const key = rec.record.key;
              const last = lastOfLoad.get(key)!;
              if (last !== i) {
                if (writtenAhead.has(key) || this.loadIds.get(src)?.has(key) === true) break;
                const ahead = (records[last] as Extract<CorrelatedRecord, { kind: 'load' }>).record;
                const serverId = this.idOf(this.s.serverIdByKey, src, ahead.serverKey);
                writeLoad(ahead, serverId);
                writtenAhead.set(key, serverId);
                break;
              }
              const serverId = this.idOf(this.s.serverIdByKey, src, rec.record.serverKey);
              if (writtenAhead.has(key) && writtenAhead.get(key) === serverId) break;
              writeLoad(rec.record, serverId);
              break;
            }
            case 'incident': {
              const requestKey = rec.record.requestKey;
              const requestId =
                requestKey === null ? null : (requestIds.get(requestKey) ?? this.idOf(this.s.requestIdByKey, src, requestKey));
              const load = loadId(rec.record.loadKey);
              const r = rec.record.model === null && load !== null ? withModel(rec.record, this.modelOfLoad(load)) : rec.record;
              rolledIncidents.push(r);
              // As with requests, the row is exactly what was written.
              const id = Number(this.s.insertIncident.run(...incidentParams(src, load, requestId, r)).lastInsertRowid);
              incidents.push({ id, at: r.at, kind: r.kind, model: r.model, detail: r.detail, loadId: load, requestId });
              break;
            }
          }
        }
        this.rollups.add(rolledRequests, rolledIncidents);
        this.s.saveResumePoint.run(cp.identity, cp.fingerprint, cp.offset, cp.linesRead, cp.stateJson, now, cp.sourceId);
      })();
    } catch (err) {
      // Rolled back: ids cached during the batch may not exist.
      this.loadIds.clear();
      this.loadModels.clear();
      throw err;
    }
    this.count += requests.length;
    return { requests, loads: [...loads.values()], incidents };
  }

  private modelOfLoad(id: number): string | null {
    const cached = this.loadModels.get(id);
    if (cached !== undefined) return cached;
    const model = (this.s.loadModelById.get(id) as { model: string | null } | undefined)?.model ?? null;
    if (model !== null) this.loadModels.set(id, model);
    return model;
  }

  /** A load got its name (the API resolved its blob): later requests and incidents of it carry it. */
  noteLoadModel(id: number, model: string): void {
    this.loadModels.set(id, model);
  }

  requestCount(): number {
    return this.count;
  }

  /** Rows written outside writeBatch (the proxy's proxy-only requests) join the count. */
  noteRequestsInserted(n: number): void {
    this.count += n;
  }
}
