import { describe, expect, it } from 'vitest';
import { timeZoneText, utcOffsetText } from '../../dashboard/src/lib/timeZone.js';

describe('utcOffsetText', () => {
  it.each([
    [0, 'UTC'],
    [-60, 'UTC+01:00'],
    [300, 'UTC-05:00'],
    [-330, 'UTC+05:30'],
    [-345, 'UTC+05:45'],
    [210, 'UTC-03:30'],
  ])('%i minutes behind → %s', (offset, text) => {
    expect(utcOffsetText(offset)).toBe(text);
  });
});

describe('timeZoneText', () => {
  it('names the zone and its offset once', () => {
    expect(timeZoneText('Europe/Paris', -60)).toBe('Times in Europe/Paris (UTC+01:00)');
    expect(timeZoneText('UTC', 0)).toBe('Times in UTC');
    expect(timeZoneText(undefined, 300)).toBe('Times in UTC-05:00');
  });
});
