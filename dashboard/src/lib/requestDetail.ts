// What the request detail panel fetches: the load it ran on (when the live list does not hold it),
// the incidents linked to it and the machine's memory samples ±5 min around its end. Each call
// resolves to data or an error in words (never rejects); the fetch is injected for tests.
import type { MemorySample } from '../../../shared/memory.js';
import type { IncidentRecord, LoadRecord, RequestRecord } from '../../../shared/records.js';
import type { FetchLike } from './ackAlert.js';
import { getJson, parseItems, parseMemory, type Loaded } from './history/api.js';
import { AROUND_MS } from './requestMemory.js';

const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

export interface RequestDetailData {
  load: Loaded<LoadRecord | null>;
  incidents: Loaded<IncidentRecord[]>;
  memory: Loaded<MemorySample[]>;
}

export async function loadRequestDetail(
  r: RequestRecord,
  known: ReadonlyMap<number, LoadRecord>,
  fetch: FetchLike = globalFetch,
  signal?: AbortSignal,
): Promise<RequestDetailData> {
  const end = Date.parse(r.at);
  const iso = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
  const loadP: Promise<Loaded<LoadRecord | null>> =
    r.loadId === null
      ? Promise.resolve({ state: 'ok', data: null })
      : known.has(r.loadId)
        ? Promise.resolve({ state: 'ok', data: known.get(r.loadId)! })
        : // The newest load with an id below loadId + 1 is that load, when it still exists.
          getJson(`/api/loads?limit=1&before=${r.loadId + 1}`, parseItems<LoadRecord>, fetch, signal).then((l) =>
            l.state === 'ok' ? { state: 'ok', data: l.data.find((x) => x.id === r.loadId) ?? null } : l,
          );
  // Incidents of a request carry its end time: a minute either side finds them however the clocks round.
  const incidentsP: Promise<Loaded<IncidentRecord[]>> = Number.isFinite(end)
    ? getJson(`/api/incidents?limit=200&from=${iso(end - 60_000)}&to=${iso(end + 60_000)}`, parseItems<IncidentRecord>, fetch, signal).then(
        (l) => (l.state === 'ok' ? { state: 'ok', data: l.data.filter((i) => i.requestId === r.id) } : l),
      )
    : Promise.resolve({ state: 'error', message: 'the request has no readable time' });
  const memoryP: Promise<Loaded<MemorySample[]>> = Number.isFinite(end)
    ? getJson(`/api/memory?points=120&from=${iso(end - AROUND_MS)}&to=${iso(end + AROUND_MS)}`, parseMemory, fetch, signal).then((m) =>
        m.state === 'ok' ? { state: 'ok', data: m.data.items } : m,
      )
    : Promise.resolve({ state: 'error', message: 'the request has no readable time' });
  const [load, incidents, memory] = await Promise.all([loadP, incidentsP, memoryP]);
  return { load, incidents, memory };
}
