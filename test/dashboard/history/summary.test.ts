import { describe, expect, it } from 'vitest';
import { median, medianSummary, rateSummary, speedupText } from '../../../dashboard/src/lib/history/summary.js';

describe('median', () => {
  it('takes medians', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('summaries', () => {
  it('names each series with its median', () => {
    const series = [
      { label: 'MLX', data: [{ y: 80 }, { y: null }, { y: 84 }, { y: 82 }] },
      { label: 'Metal', data: [{ y: 41 }] },
      { label: 'CPU', data: [{ y: null }] },
    ];
    expect(medianSummary('decode tok/s by backend', 'last 24 h', series)).toBe(
      'decode tok/s by backend, last 24 h: MLX median 82, Metal 41',
    );
    expect(medianSummary('decode tok/s by model', 'last 1 h', [])).toBe('decode tok/s by model, last 1 h: no data');
  });

  it('summarises the request rate', () => {
    expect(rateSummary('requests per minute', 'last 1 h', 240, 12)).toBe('requests per minute, last 1 h: 240 requests, peak 12/min');
    expect(rateSummary('requests per minute', 'last 1 h', 1, 1)).toBe('requests per minute, last 1 h: 1 request, peak 1.0/min');
    expect(rateSummary('requests per minute', 'last 1 h', 0, null)).toBe('requests per minute, last 1 h: no requests');
  });
});

describe('speed-up', () => {
  it('says which backend was faster and by how much', () => {
    expect(speedupText(1.94)).toBe('MLX 1.9× faster');
    expect(speedupText(0.5)).toBe('Metal 2.0× faster');
    expect(speedupText(1.02)).toBe('about the same');
  });

  it('is "—" when unknown', () => {
    expect(speedupText(null)).toBe('—');
    expect(speedupText(undefined)).toBe('—');
    expect(speedupText(0)).toBe('—');
    expect(speedupText(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
