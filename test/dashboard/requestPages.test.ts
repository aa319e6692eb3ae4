import { describe, expect, it } from 'vitest';
import { NO_FILTER } from '../../dashboard/src/lib/requestFilter.js';
import { liveHasOlder, livePage, olderCursor, pageUrl } from '../../dashboard/src/lib/requestPages.js';
import type { RequestRecord } from '../../shared/records.js';

const row = (id: number, status = 200) => ({ id, status, model: null, backend: null }) as unknown as RequestRecord;

describe('request pages', () => {
  it('the live page is the newest matching rows, one page long', () => {
    const rows = Array.from({ length: 120 }, (_, i) => row(120 - i, i % 2 ? 500 : 200));
    expect(livePage(rows, NO_FILTER, 50).map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => 120 - i));
    expect(livePage(rows, { ...NO_FILTER, status: '5xx' }, 50)).toHaveLength(50);
    expect(olderCursor(livePage(rows, NO_FILTER, 50))).toBe(71);
    expect(olderCursor([])).toBeNull();
  });

  it('asks one row more than a page, with the filters', () => {
    expect(pageUrl(71, { model: 'qwen3:8b', backend: '', status: '4xx' }, 50)).toBe(
      '/api/requests?limit=51&before=71&model=qwen3%3A8b&status=4xx',
    );
  });

  it.each([
    [51, 500, 500, true],
    [50, 500, 500, false],
    [20, 500, 1234, true],
    [0, 500, 1234, false],
    [20, 200, null, false],
  ])('%i matching of %i in memory, %s stored → older: %s', (matching, inMemory, stored, expected) => {
    expect(liveHasOlder(matching, inMemory, stored, 50)).toBe(expected);
  });
});
