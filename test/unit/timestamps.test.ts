import { describe, expect, it } from 'vitest';
import { epochMs, zoneOf } from '../../agent/parse/timestamps.js';

describe('epochMs', () => {
  it.each([
    '2026-08-23T13:28:31.113-07:00',
    '2026-06-09T10:54:12.686Z',
    '2024-05-07T12:29:32+05:30',
    '2025-02-19T00:05:26.943456789-06:00',
    '2026-01-29T19:00:27.8+01:00',
    '2026-12-31T23:59:59.999Z',
    '2026-03-01T00:00:00-00:00',
  ])('%s agrees with Date.parse', (iso) => {
    expect(epochMs(iso)).toBe(Date.parse(iso));
  });

  it('reads a zone-less time as local time, like Date.parse', () => {
    expect(epochMs('2024-05-07T12:57:18')).toBe(Date.parse('2024-05-07T12:57:18'));
    expect(epochMs('not a time')).toBeNaN();
  });
});

describe('epochMs on malformed times', () => {
  it.each([
    '2026-13-01T00:00:00Z',
    '2026-02-31T00:00:00Z',
    '2026-01-31T23:59:59.5+01:00',
    '2026-01-01T24:00:00Z',
    '2026-08-23T13:28:31.113+07',
    '2026-08-23T13:28:31.113-07:00x',
    '2026-08-23 13:28:31Z',
    '2026-08-2xT13:28:31Z',
  ])('%s agrees with Date.parse', (iso) => {
    // toBe is Object.is: NaN (not a time) matches NaN only.
    expect(epochMs(iso)).toBe(Date.parse(iso));
  });
});

describe('epochMs on times in log order', () => {
  // Times sharing a minute reuse what the one before worked out; each must still agree with Date.parse.
  const run = [
    '2026-08-23T13:28:31.113-07:00',
    '2026-08-23T13:28:31.113-07:00',
    '2026-08-23T13:28:59.999-07:00',
    '2026-08-23T13:28:60.000-07:00',
    '2026-08-23T13:28:5x.000-07:00',
    '2026-08-23T13:28:07Z',
    '2026-08-23T13:28:07.5+05:30',
    '2026-08-23T13:28:07+0530',
    '2026-08-23T13:28:07',
    '2026-08-23T13:29:00.000-07:00',
    '2026-08-24T13:29:00.000-07:00',
    '2026-08-24T13:29',
    '2026-08-24T13:29:01.1234Z',
  ];
  it.each(run.map((iso, i) => [i, iso]))('#%i %s agrees with Date.parse', (_i, iso) => {
    expect(epochMs(iso)).toBe(Date.parse(iso));
  });
});

describe('zoneOf', () => {
  it.each([
    ['2024-05-07T12:29:32.107-04:00', '-04:00'],
    ['2024-05-07T12:29:32+05:30', '+05:30'],
    ['2024-05-07T12:29:32.107Z', 'Z'],
    ['2024-05-07T12:29:32', null],
    ['2024-05-07T12:29:32+ab:cd', null],
    ['2024-05-07T12:29:32-04:0x', null],
  ])('%s → %s', (iso, zone) => {
    expect(zoneOf(iso)).toBe(zone);
  });
});
