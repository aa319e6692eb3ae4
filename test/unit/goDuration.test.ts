import { describe, expect, it } from 'vitest';
import { parseGoDuration, plainGoDuration } from '../../agent/parse/goDuration.js';

describe('parseGoDuration', () => {
  it.each([
    ['0s', 0],
    ['0', 0],
    ['850ns', 0.00085],
    ['579.75µs', 0.57975],
    ['579.75μs', 0.57975], // Greek mu, as some terminals re-encode it
    ['18.166µs', 0.018166],
    ['500.1┬Ás', 0.5001], // PowerShell CP850 mojibake of µ
    ['500.1┬╡s', 0.5001], // CP437
    ['500.1Âµs', 0.5001], // Latin-1
    ['2.031083ms', 2.031083],
    ['11.150702416s', 11150.702416],
    ['1m2s', 62_000],
    ['1m41s', 101_000],
    ['2m49s', 169_000],
    ['6m28s', 388_000],
    ['1h24m39s', 5_079_000],
    ['1h0m0s', 3_600_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '12', '1.2.3s', '5 s', 's', '1x'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeNull();
  });
});

describe('plainGoDuration (gin lines read in place)', () => {
  it.each([
    '0s',
    '850ns',
    '579.75µs',
    '579.75μs',
    '18.166µs',
    '12us',
    '2.031083ms',
    '11.150702416s',
    '1m2s',
    '1m41s',
    '1h24m39s',
    '1h0m0s',
    '0.000001ms',
    '123456789012345ns',
  ])('%s agrees with parseGoDuration', (text) => {
    expect(plainGoDuration(`|${text}|`, 1, text.length + 1)).toBe(parseGoDuration(text));
  });

  it.each(['', '0', '-1s', '500.1┬Ás', '1.ms', '.5ms', 's', '1x', '1234567890123456ms', '5 s'])(
    'leaves %j to parseGoDuration (NaN)',
    (text) => {
      expect(plainGoDuration(text, 0, text.length)).toBeNaN();
    },
  );
});
