import { describe, expect, it } from 'vitest';
import {
  ackButtonLabel,
  acknowledgedText,
  channelWarnings,
  latestEvidence,
  occurrenceText,
  occurrenceTitle,
  resolvedSummaryText,
  resolvedText,
  seenText,
  severityView,
} from '../../dashboard/src/lib/alertLabels.js';
import { alert, channel } from './fixtures.js';

// Local times, so the expectations hold in any time zone.
const at = (d: number, h: number, m: number) => new Date(2025, 10, d, h, m, 30).toISOString();
const now = new Date(2025, 10, 26, 18, 0).getTime();

describe('severityView', () => {
  it('spells the severity out next to its colour', () => {
    expect(severityView('critical')).toMatchObject({ word: 'Critical', tone: 'error' });
    expect(severityView('warning')).toMatchObject({ word: 'Warning', tone: 'warn' });
    expect(severityView('critical').icon).not.toBe('');
  });
});

describe('occurrences', () => {
  it('says how often and when: "seen N times · first … · last …"', () => {
    expect(seenText(1)).toBe('seen once');
    expect(seenText(2)).toBe('seen 2 times');
    expect(seenText(1204)).toBe('seen 1,204 times');
    expect(occurrenceText({ count: 12, firstAt: at(26, 13, 2), lastAt: at(26, 13, 40) }, now)).toBe(
      'seen 12 times · first 13:02 · last 13:40',
    );
    expect(occurrenceText({ count: 3, firstAt: at(25, 23, 50), lastAt: at(26, 0, 10) }, now)).toBe(
      'seen 3 times · first 2025-11-25 23:50 · last 00:10',
    );
    expect(occurrenceText({ count: 1, firstAt: at(26, 13, 2), lastAt: at(26, 13, 2) }, now)).toBe('seen once · at 13:02');
    expect(occurrenceTitle({ firstAt: at(26, 13, 2), lastAt: at(26, 13, 40) })).toMatch(
      /^First seen 2025-11-26 13:02:30\.000 UTC.+\nLast seen 2025-11-26 13:40:30\.000 UTC/,
    );
  });

  it('shows the newest evidence line (stored newest last), none when empty', () => {
    expect(latestEvidence(alert(1, { evidence: ['old', 'new'] }))).toBe('new');
    expect(latestEvidence(alert(1, { evidence: [] }))).toBeNull();
    expect(latestEvidence(alert(1, { evidence: ['  '] }))).toBeNull();
  });
});

describe('acknowledging and resolving', () => {
  it('names the alert on the button, for screen readers, starting with the visible word', () => {
    expect(ackButtonLabel('qwen ran on CPU', false)).toBe('Acknowledge alert: qwen ran on CPU');
    expect(ackButtonLabel('qwen ran on CPU', true)).toBe('Acknowledging alert: qwen ran on CPU');
  });

  it('says when it was acknowledged or resolved', () => {
    expect(acknowledgedText(at(26, 13, 45), now)).toBe('Acknowledged 13:45');
    expect(acknowledgedText(null, now)).toBe('Acknowledged');
    expect(resolvedText(at(26, 14, 1), now)).toBe('resolved 14:01');
    expect(resolvedText(null, now)).toBe('resolved (time unknown)');
    expect(resolvedSummaryText(1)).toBe('1 alert resolved recently');
    expect(resolvedSummaryText(3)).toBe('3 alerts resolved recently');
  });
});

describe('channelWarnings', () => {
  it('adds nothing while every channel works (or there is none)', () => {
    expect(channelWarnings([])).toEqual([]);
    expect(channelWarnings(undefined)).toEqual([]);
    expect(channelWarnings([channel({ sent: 4, lastError: 'an old timeout' })])).toEqual([]);
  });

  it('one warning pill per failing channel: "Notifications failing: <name> — <lastError>"', () => {
    const views = channelWarnings([
      channel({ name: 'macos' }),
      channel({ ok: false, sent: 3, failed: 2, pending: 1, lastError: 'HTTP 502 Bad Gateway', lastSentAt: '2025-11-26T07:00:00Z' }),
      channel({ name: 'webhook:https://hooks.example/x', ok: false, failed: 4 }),
    ]);
    expect(views.map((v) => v.text)).toEqual([
      'Notifications failing: webhook:https://ntfy.sh/lens — HTTP 502 Bad Gateway',
      'Notifications failing: webhook:https://hooks.example/x — 4 not delivered',
    ]);
    expect(views.every((v) => v.tone === 'warn' && v.icon !== '')).toBe(true);
    expect(views[0]!.title).toMatch(/^3 sent, 2 not delivered\n1 waiting to be retried\nLast delivered 2025-11-26 /);
    expect(views[1]!.title).toContain('Nothing delivered yet');
  });
});
