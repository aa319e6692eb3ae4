// Mapping between the `server_runs`, `loads` and `incidents` tables and their records.
import type { Backend, Engine, IncidentKind, IncidentRecord, LoadOutcome, LoadRecord, ServerRunRecord } from '../../shared/records.js';
import type { NewIncident, NewLoad, NewServerRun } from '../correlate/records.js';

export const SERVER_COLUMNS = 'id, at, address, version, config_json, devices_json, default_ctx';
export const LOAD_COLUMNS =
  'id, at, model, blob, display_name, engine, backend, device, ctx, parallel, kv_bytes, gpu_layers, total_layers, load_seconds, outcome, error, ' +
  'size_bytes, vram_bytes, unloaded_at, api_seen, origin';
export const INCIDENT_COLUMNS = 'id, at, kind, model, detail, load_id, request_id';

export interface ServerRow {
  id: number;
  at: string | null;
  address: string | null;
  version: string | null;
  config_json: string;
  devices_json: string;
  default_ctx: number | null;
}

export interface LoadRow {
  id: number;
  at: string | null;
  model: string | null;
  blob: string | null;
  display_name: string | null;
  engine: string | null;
  backend: string | null;
  device: string | null;
  ctx: number | null;
  parallel: number | null;
  kv_bytes: number | null;
  gpu_layers: number | null;
  total_layers: number | null;
  load_seconds: number | null;
  outcome: string | null;
  error: string | null;
  size_bytes: number | null;
  vram_bytes: number | null;
  unloaded_at: string | null;
  api_seen: number;
  origin: string;
}

export interface IncidentRow {
  id: number;
  at: string | null;
  kind: string;
  model: string | null;
  detail: string;
  load_id: number | null;
  request_id: number | null;
}

export function rowToServer(r: ServerRow): ServerRunRecord {
  return {
    id: r.id,
    at: r.at,
    address: r.address,
    version: r.version,
    config: JSON.parse(r.config_json) as Record<string, string>,
    devices: JSON.parse(r.devices_json) as ServerRunRecord['devices'],
    defaultCtx: r.default_ctx,
  };
}

export function rowToLoad(r: LoadRow): LoadRecord {
  return {
    id: r.id,
    at: r.at,
    model: r.model,
    blob: r.blob,
    displayName: r.display_name,
    engine: r.engine as Engine | null,
    backend: r.backend as Backend | null,
    device: r.device,
    ctx: r.ctx,
    parallel: r.parallel,
    kvBytes: r.kv_bytes,
    gpuLayers: r.gpu_layers,
    totalLayers: r.total_layers,
    loadSeconds: r.load_seconds,
    outcome: r.outcome as LoadOutcome | null,
    error: r.error,
    sizeBytes: r.size_bytes,
    vramBytes: r.vram_bytes,
    unloadedAt: r.unloaded_at,
    seenBy: r.origin === 'api' ? 'api' : r.api_seen ? 'both' : 'log',
  };
}

export function rowToIncident(r: IncidentRow): IncidentRecord {
  return { id: r.id, at: r.at, kind: r.kind as IncidentKind, model: r.model, detail: r.detail, loadId: r.load_id, requestId: r.request_id };
}

export const serverParams = (sourceId: number, r: NewServerRun): unknown[] => [
  sourceId,
  r.key,
  r.at,
  r.ts,
  r.address,
  r.version,
  JSON.stringify(r.config),
  JSON.stringify(r.devices),
  r.defaultCtx,
];

export const loadParams = (sourceId: number, serverId: number | null, r: NewLoad): unknown[] => [
  sourceId,
  r.key,
  serverId,
  r.at,
  r.ts,
  r.model,
  r.blob,
  r.displayName,
  r.engine,
  r.backend,
  r.device,
  r.ctx,
  r.parallel,
  r.kvBytes,
  r.gpuLayers,
  r.totalLayers,
  r.loadSeconds,
  r.outcome,
  r.error,
];

export const incidentParams = (sourceId: number, loadId: number | null, requestId: number | null, r: NewIncident): unknown[] => [
  sourceId,
  r.key,
  r.at,
  r.ts,
  r.kind,
  r.model,
  r.detail,
  loadId,
  requestId,
];
