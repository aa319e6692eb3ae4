import { describe, expect, it } from 'vitest';
import { announcementText, nextAnnouncementAt } from '../../dashboard/src/lib/announce.js';

describe('alert announcements', () => {
  it('gathers a burst into one sentence', () => {
    expect(announcementText([])).toBe('');
    expect(announcementText(['a crashed'])).toBe('New alert: a crashed');
    expect(announcementText(['a', 'b', 'c', 'd'])).toBe('4 new alerts: a; b; c; and more');
  });
  it('speaks at most once per interval', () => {
    expect(nextAnnouncementAt(null, 1000, 10_000)).toBe(1000);
    expect(nextAnnouncementAt(1000, 5000, 10_000)).toBe(11_000);
    expect(nextAnnouncementAt(1000, 20_000, 10_000)).toBe(20_000);
  });
});
