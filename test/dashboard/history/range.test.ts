import { describe, expect, it } from 'vitest';
import {
  buildUrl,
  DEFAULT_RANGE,
  openingRange,
  compareUrl,
  customRange,
  isLiveRange,
  listUrl,
  memoryUrl,
  parseDateTimeLocal,
  rangeLabel,
  rangeQuery,
  rangeWindow,
  requestsUrl,
  sameRange,
  seriesUrl,
  toDateTimeLocal,
  type RangeChoice,
} from '../../../dashboard/src/lib/history/range.js';

const NOW = Date.UTC(2025, 10, 26, 12, 0, 0);
const day: RangeChoice = { kind: 'preset', preset: '24h' };
const custom: RangeChoice = { kind: 'custom', from: Date.UTC(2025, 10, 20, 8), to: Date.UTC(2025, 10, 21, 8) };

describe('range → query parameters', () => {
  it('a preset is range=…; a custom window is from/to in ISO-8601', () => {
    expect(rangeQuery(day)).toEqual({ range: '24h' });
    expect(rangeQuery(custom)).toEqual({ from: '2025-11-20T08:00:00.000Z', to: '2025-11-21T08:00:00.000Z' });
  });

  it('builds the series URL with step=auto, group and stat', () => {
    expect(seriesUrl('decode_tps', day, 'backend', 'p50')).toBe('/api/series?metric=decode_tps&range=24h&step=auto&group=backend&stat=p50');
    expect(seriesUrl('requests', custom, 'none', 'sum')).toBe(
      '/api/series?metric=requests&from=2025-11-20T08%3A00%3A00.000Z&to=2025-11-21T08%3A00%3A00.000Z&step=auto&group=none&stat=sum',
    );
  });

  it('builds compare, memory, list and request URLs', () => {
    expect(compareUrl({ kind: 'preset', preset: '7d' })).toBe('/api/compare?range=7d');
    expect(memoryUrl({ kind: 'preset', preset: '1h' })).toBe('/api/memory?range=1h&points=720');
    expect(listUrl('incidents', day, NOW, 50)).toBe(
      '/api/incidents?from=2025-11-25T12%3A00%3A00.000Z&to=2025-11-26T12%3A00%3A00.001Z&limit=50',
    );
    expect(listUrl('loads', day, NOW, 50, false)).toBe('/api/loads?limit=50');
    expect(requestsUrl()).toBe('/api/requests?limit=500');
    expect(buildUrl('/x', { a: undefined })).toBe('/x');
  });

  it('gives the window in epoch ms', () => {
    expect(rangeWindow({ kind: 'preset', preset: '1h' }, NOW)).toEqual({ from: NOW - 3_600_000, to: NOW + 1 });
    expect(rangeWindow({ kind: 'preset', preset: '30d' }, NOW).from).toBe(NOW - 30 * 86_400_000);
    expect(rangeWindow(custom, NOW)).toEqual({ from: custom.from, to: custom.to });
  });

  it('only the 1 h view takes live data', () => {
    expect(isLiveRange({ kind: 'preset', preset: '1h' })).toBe(true);
    expect(isLiveRange(day)).toBe(false);
    expect(isLiveRange(custom)).toBe(false);
  });

  it('labels ranges in words', () => {
    expect(rangeLabel(day)).toBe('last 24 h');
    expect(rangeLabel({ kind: 'preset', preset: '7d' })).toBe('last 7 d');
    const local = { kind: 'custom', from: new Date(2025, 10, 20, 8, 5).getTime(), to: new Date(2025, 10, 21, 9, 0).getTime() } as const;
    expect(rangeLabel(local)).toBe('20 Nov 08:05 – 21 Nov 09:00');
  });

  it('compares choices', () => {
    expect(sameRange(day, { kind: 'preset', preset: '24h' })).toBe(true);
    expect(sameRange(day, custom)).toBe(false);
    expect(sameRange(custom, { ...custom })).toBe(true);
  });
});

describe('custom range inputs', () => {
  it('round-trips datetime-local values in local time', () => {
    const ms = new Date(2025, 10, 20, 8, 30).getTime();
    expect(toDateTimeLocal(ms)).toBe('2025-11-20T08:30');
    expect(parseDateTimeLocal('2025-11-20T08:30')).toBe(ms);
    expect(parseDateTimeLocal('2025-11-20T08:30:15')).toBe(ms + 15_000);
  });

  it('rejects malformed and impossible dates', () => {
    expect(parseDateTimeLocal('')).toBeNull();
    expect(parseDateTimeLocal('yesterday')).toBeNull();
    expect(parseDateTimeLocal('2025-02-31T10:00')).toBeNull();
  });

  it('validates the pair, with the reason in words', () => {
    const now = new Date(2025, 10, 26, 12, 0).getTime();
    expect(customRange('2025-11-20T08:00', '2025-11-21T08:00', now)).toEqual({
      ok: true,
      choice: { kind: 'custom', from: new Date(2025, 10, 20, 8).getTime(), to: new Date(2025, 10, 21, 8).getTime() },
    });
    // An empty end means "until now".
    expect(customRange('2025-11-20T08:00', '', now)).toMatchObject({ ok: true, choice: { to: now } });
    expect(customRange('', '', now)).toEqual({ ok: false, error: 'Enter a start date and time.' });
    expect(customRange('2025-11-21T08:00', '2025-11-20T08:00', now)).toEqual({ ok: false, error: 'The end must be after the start.' });
    expect(customRange('2025-12-21T08:00', '2025-12-22T08:00', now)).toEqual({ ok: false, error: 'The start is in the future.' });
    expect(customRange('2020-01-01T00:00', '2025-11-20T08:00', now)).toEqual({ ok: false, error: 'A range may span at most 400 days.' });
  });
});

describe('openingRange', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it('opens on the default, or the shortest longer preset that holds the newest request', () => {
    expect(openingRange(now - 60_000, now)).toEqual({ kind: 'preset', preset: '24h' });
    expect(openingRange(now - 5 * 3_600_000, now)).toEqual({ kind: 'preset', preset: '24h' });
    expect(openingRange(now - 3 * 86_400_000, now)).toEqual({ kind: 'preset', preset: '7d' });
    expect(openingRange(now - 20 * 86_400_000, now)).toEqual({ kind: 'preset', preset: '30d' });
    expect(openingRange(now - 90 * 86_400_000, now)).toEqual({ kind: 'preset', preset: '30d' });
  });
  it('keeps the default when nothing is known', () => {
    expect(openingRange(null, now)).toEqual(DEFAULT_RANGE);
  });
});
