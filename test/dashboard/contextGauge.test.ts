import { describe, expect, it } from 'vitest';
import {
  CONTEXT_ALERT_TOKENS,
  contextAlertThreshold,
  contextGauge,
  contextPercentText,
  gaugeWindowText,
} from '../../dashboard/src/lib/contextGauge.js';

describe('contextGauge', () => {
  it('uses min(90,000 tokens, 0.85 × window) as the amber threshold, like the agent', () => {
    expect(contextAlertThreshold(8192)).toBeCloseTo(6963.2);
    expect(contextAlertThreshold(131_072)).toBe(CONTEXT_ALERT_TOKENS);
    expect(contextAlertThreshold(null)).toBe(CONTEXT_ALERT_TOKENS);
  });

  it('labels the numbers and the percentage', () => {
    const g = contextGauge({ ctxUsed: 71_234, ctxLimit: 131_072, truncated: false }, null);
    expect(g).toMatchObject({ used: 71_234, limit: 131_072, level: 'ok', levelWord: null, label: '71,234 / 131,072 tokens · 54%' });
    expect(g?.fraction).toBeCloseTo(0.5435, 3);
    expect(g?.valueText).toBe('71,234 / 131,072 tokens · 54%');
  });

  it('turns amber at the threshold and red when that request was truncated', () => {
    expect(contextGauge({ ctxUsed: 6962, ctxLimit: 8192, truncated: false }, null)?.level).toBe('ok');
    const near = contextGauge({ ctxUsed: 6964, ctxLimit: 8192, truncated: false }, null);
    expect(near?.level).toBe('warn');
    expect(near?.valueText).toBe('6,964 / 8,192 tokens · 85%, near limit');
    // A 262k window: amber from 90,000 tokens, far below 85%.
    expect(contextGauge({ ctxUsed: 95_000, ctxLimit: 262_144, truncated: null }, null)?.level).toBe('warn');
    const cut = contextGauge({ ctxUsed: 4221, ctxLimit: 8192, truncated: true }, null);
    expect(cut?.level).toBe('critical');
    expect(cut?.levelWord).toBe('truncated');
  });

  it("falls back to the model's window, and shows only the number when no window is known", () => {
    expect(contextGauge({ ctxUsed: 4096, ctxLimit: null, truncated: null }, 8192)?.label).toBe('4,096 / 8,192 tokens · 50%');
    const bare = contextGauge({ ctxUsed: 4096, ctxLimit: null, truncated: null }, null);
    expect(bare?.limit).toBeNull();
    expect(bare?.fraction).toBeNull();
    expect(bare?.label).toBe('4,096 tokens · window —');
  });

  it('never shows 100% for a window that is not full, and clamps an overfull one', () => {
    expect(contextGauge({ ctxUsed: 8190, ctxLimit: 8192, truncated: false }, null)?.label).toBe('8,190 / 8,192 tokens · 99%');
    const over = contextGauge({ ctxUsed: 9000, ctxLimit: 8192, truncated: true }, null);
    expect(over?.fraction).toBe(1);
    expect(over?.label).toContain('110%');
  });

  it('is null without a request with context figures', () => {
    expect(contextGauge(null, 8192)).toBeNull();
    expect(contextGauge({ ctxUsed: null, ctxLimit: 8192, truncated: null }, 8192)).toBeNull();
  });
});

describe('contextPercentText', () => {
  it('shows context % from ctxUsed/ctxLimit, "—" when unknown (never 0%)', () => {
    expect(contextPercentText({ ctxUsed: 4221, ctxLimit: 8192 })).toBe('52%');
    expect(contextPercentText({ ctxUsed: 3, ctxLimit: 131_072 })).toBe('1%');
    expect(contextPercentText({ ctxUsed: null, ctxLimit: 8192 })).toBe('—');
    expect(contextPercentText({ ctxUsed: 100, ctxLimit: null })).toBe('—');
    expect(contextPercentText({ ctxUsed: 100, ctxLimit: 0 })).toBe('—');
  });
});

describe('gaugeWindowText', () => {
  it('names the window the bar measures against, and the runner window when it differs', () => {
    expect(gaugeWindowText({ limit: 8192 }, '8,192')).toBe('window 8,192');
    expect(gaugeWindowText({ limit: 8192 }, '131,072')).toBe('window 8,192 · runner 131,072');
    expect(gaugeWindowText(null, '131,072')).toBe('window 131,072');
    expect(gaugeWindowText({ limit: null }, '4,096')).toBe('window 4,096');
  });
});
