import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseView, viewSearch, type View } from '../../dashboard/src/lib/urlState.js';

const view = (over: Partial<View>): View => ({ ...DEFAULT_VIEW, ...over });

describe('URL state', () => {
  it('leaves the default view out of the URL', () => {
    expect(viewSearch(DEFAULT_VIEW)).toBe('');
    expect(parseView('')).toEqual(DEFAULT_VIEW);
  });

  it.each<[string, Partial<View>]>([
    ['preset range', { range: { kind: 'preset', preset: '7d' } }],
    ['custom range', { range: { kind: 'custom', from: Date.UTC(2026, 10, 26, 10), to: Date.UTC(2026, 10, 27, 12) } }],
    ['filters', { model: 'qwen3:8b', backend: 'mlx', status: '5xx' }],
    ['the unknown model', { model: '(unknown)' }],
    ['a page and an opened request', { before: 1234, request: 42 }],
    ['a name needing escapes', { model: 'hf.co/x/y:Q4_K_M & more' }],
  ])('round-trips %s', (_, over) => {
    const v = view(over);
    expect(parseView(viewSearch(v))).toEqual(v);
  });

  it('writes readable keys', () => {
    expect(viewSearch(view({ range: { kind: 'preset', preset: '1h' }, model: 'qwen3:8b', request: 7 }))).toBe(
      '?range=1h&model=qwen3%3A8b&request=7',
    );
  });

  it.each([
    ['?range=2y', DEFAULT_VIEW],
    ['?status=3xx', DEFAULT_VIEW],
    ['?request=0&before=-4', DEFAULT_VIEW],
    ['?request=abc&before=1e3', DEFAULT_VIEW],
    ['?from=2026-11-27T00:00:00Z&to=2026-11-26T00:00:00Z', DEFAULT_VIEW],
    ['?from=garbage&to=now', DEFAULT_VIEW],
    [`?model=${'x'.repeat(201)}`, DEFAULT_VIEW],
  ])('falls back to the default for what it does not understand: %s', (search, expected) => {
    expect(parseView(search)).toEqual(expected);
  });
});
