import { describe, expect, it } from 'vitest';
import { fetchWindowList, getJson, loadHistory, NOT_AVAILABLE, parseCompare, parseSeries } from '../../../dashboard/src/lib/history/api.js';
import type { FetchLike } from '../../../dashboard/src/lib/history/api.js';
import type { IncidentRecord } from '../../../shared/records.js';

const NOW = Date.parse('2025-11-26T12:00:00Z');

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fake agent: routes by path, records every URL asked for. */
function fakeAgent(routes: Record<string, (url: URL) => Response>): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: async (input) => {
      urls.push(input);
      const url = new URL(input, 'http://agent');
      const route = routes[url.pathname];
      return route === undefined ? json(404, { error: { code: 'not_found', message: `no API route GET ${url.pathname}` } }) : route(url);
    },
  };
}

const incident = (id: number, at: string): IncidentRecord => ({
  id,
  at,
  kind: 'oom',
  model: null,
  detail: 'x',
  loadId: null,
  requestId: null,
});

describe('getJson', () => {
  it('says "not available yet" on 404 and gives the server message otherwise', async () => {
    const agent = fakeAgent({ '/api/bad': () => json(400, { error: { code: 'bad_request', message: 'range must be one of …' } }) });
    expect(await getJson('/api/series', parseSeries, agent.fetch)).toEqual({ state: 'unavailable', message: NOT_AVAILABLE });
    expect(await getJson('/api/bad', parseSeries, agent.fetch)).toEqual({ state: 'error', status: 400, message: 'range must be one of …' });
  });

  it('reports a network failure and a body it cannot read, without throwing', async () => {
    const down: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await getJson('/api/series', parseSeries, down)).toEqual({
      state: 'error',
      message: 'could not reach the agent (Failed to fetch)',
    });
    const odd: FetchLike = async () => json(200, { nope: true });
    expect((await getJson('/api/series', parseSeries, odd)).state).toBe('error');
    const html: FetchLike = async () => new Response('<html>', { status: 500 });
    expect(await getJson('/api/series', parseSeries, html)).toEqual({
      state: 'error',
      status: 500,
      message: 'the agent answered HTTP 500',
    });
  });
});

describe('parsing', () => {
  it('keeps well-formed points, nulls for unknown values', () => {
    const parsed = parseSeries({
      metric: 'decode_tps',
      stat: 'p50',
      step: '1m',
      stepMs: 60000,
      from: 'a',
      to: 'b',
      source: 'minute',
      series: [{ model: 'm', backend: 'mlx', points: [[1, 2], [3, null], ['x', 4], 'junk', [5, 'NaN']] }],
    });
    expect(parsed?.series[0]).toEqual({
      model: 'm',
      backend: 'mlx',
      points: [
        [1, 2],
        [3, null],
        [5, null],
      ],
    });
    expect(parseSeries({ series: 'no' })).toBeNull();
  });

  it('reads compare items leniently', () => {
    const parsed = parseCompare({
      from: 'a',
      to: 'b',
      source: 'hour',
      items: [{ model: 'm', backends: { mlx: { requests: 2, decodeP50: 80 } }, decodeSpeedup: null }, { bad: 1 }],
    });
    expect(parsed).toEqual({
      from: 'a',
      to: 'b',
      source: 'hour',
      items: [
        {
          model: 'm',
          backends: { mlx: { requests: 2, decodeP50: 80, decodeP95: null, prefillP50: null, latencyP50: null } },
          decodeSpeedup: null,
        },
      ],
    });
  });

  it('refuses a series or compare body that does not say what it measured, instead of guessing', () => {
    const series = { metric: 'decode_tps', stat: 'avg', step: '5m', stepMs: 300_000, from: 'a', to: 'b', source: 'minute', series: [] };
    expect(parseSeries(series)).toEqual(series);
    for (const key of ['metric', 'stat', 'step', 'source', 'stepMs', 'from'] as const) {
      expect(parseSeries({ ...series, [key]: undefined }), key).toBeNull();
    }
    expect(parseSeries({ ...series, step: '7m' })).toBeNull();
    expect(parseCompare({ from: 'a', to: 'b', items: [] })).toBeNull();
    expect(
      parseCompare({
        from: 'a',
        to: 'b',
        source: 'hour',
        items: [{ model: 'm', backends: { mlx: { decodeP50: 80 } }, decodeSpeedup: null }],
      })!.items[0]!.backends,
    ).toEqual({});
  });
});

describe('incidents and loads in a window', () => {
  const items = [incident(3, '2025-11-26T11:30:00Z'), incident(2, '2025-11-26T10:30:00Z'), incident(1, '2025-11-20T10:00:00Z')];

  it('asks with from/to', async () => {
    const agent = fakeAgent({ '/api/incidents': () => json(200, { items: items.slice(0, 2) }) });
    const result = await fetchWindowList<IncidentRecord>('incidents', { kind: 'preset', preset: '24h' }, NOW, agent.fetch);
    expect(agent.urls).toEqual(['/api/incidents?from=2025-11-25T12%3A00%3A00.000Z&to=2025-11-26T12%3A00%3A00.001Z&limit=500']);
    expect(result).toEqual({ state: 'ok', data: items.slice(0, 2) });
  });

  it('falls back to the newest items, filtered here, when the agent rejects from/to', async () => {
    const agent = fakeAgent({
      '/api/incidents': (url) =>
        url.searchParams.has('from')
          ? json(400, { error: { code: 'bad_request', message: 'unknown query parameter "from"' } })
          : json(200, { items }),
    });
    const result = await fetchWindowList<IncidentRecord>('incidents', { kind: 'preset', preset: '24h' }, NOW, agent.fetch);
    expect(agent.urls).toHaveLength(2);
    expect(agent.urls[1]).toBe('/api/incidents?limit=500');
    expect(result.state === 'ok' && result.data.map((i) => i.id)).toEqual([3, 2]);
  });
});

describe('loadHistory', () => {
  it('fetches every part for the range; missing routes are "not available yet", the rest still shows', async () => {
    const agent = fakeAgent({
      '/api/memory': () =>
        json(200, { from: 'a', to: 'b', bucketMs: 5000, items: [{ at: '2025-11-26T11:59:00Z', usedBytes: 1 }], machine: null, probes: [] }),
      '/api/requests': () => json(200, { items: [{ id: 1, at: '2025-11-26T11:59:00Z' }], total: 1 }),
      '/api/incidents': () => json(200, { items: [] }),
      '/api/loads': () => json(200, { items: [] }),
    });
    const data = await loadHistory({ kind: 'preset', preset: '7d' }, NOW, agent.fetch);
    expect(data.decodeByBackend).toEqual({ state: 'unavailable', message: NOT_AVAILABLE });
    expect(data.compare.state).toBe('unavailable');
    expect(data.memory.state).toBe('ok');
    expect(data.recent.state === 'ok' && data.recent.data).toHaveLength(1);
    expect(data.window).toEqual({ from: NOW - 7 * 86_400_000, to: NOW + 1 });
    expect(agent.urls).toEqual(
      expect.arrayContaining([
        '/api/series?metric=decode_tps&range=7d&step=auto&group=backend&stat=p50',
        '/api/series?metric=prefill_tps&range=7d&step=auto&group=backend&stat=p50',
        '/api/series?metric=decode_tps&range=7d&step=auto&group=model&stat=p50',
        '/api/series?metric=requests&range=7d&step=auto&group=none&stat=sum',
        '/api/compare?range=7d',
        '/api/memory?range=7d&points=720',
        '/api/requests?limit=500',
      ]),
    );
  });
});
