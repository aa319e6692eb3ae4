import { describe, expect, it } from 'vitest';
import type { AlertRecord, ChannelStatus } from '../../../../shared/alerts.js';
import type { Notifier, NotifyEvent } from '../../../../agent/alerts/channels/Notifier.js';
import { NotificationHub } from '../../../../agent/alerts/channels/NotificationHub.js';
import { alert } from './fixtures.js';

class FakeNotifier implements Notifier {
  readonly got: string[] = [];
  closed = false;
  constructor(
    readonly name: string,
    private readonly behaviour: { throwOnSend?: (n: number) => boolean; rejectClose?: boolean } = {},
  ) {}
  send(a: AlertRecord, event: NotifyEvent): void {
    if (this.behaviour.throwOnSend?.(this.got.length)) {
      this.got.push('threw');
      throw new Error('kaput');
    }
    this.got.push(`${event} #${a.id}`);
  }
  status(): ChannelStatus {
    const sent = this.got.filter((g) => g !== 'threw').length;
    return { name: this.name, ok: true, sent, failed: 0, lastError: null, lastSentAt: null, pending: 0 };
  }
  async close(): Promise<void> {
    this.closed = true;
    if (this.behaviour.rejectClose) throw new Error('stuck');
  }
}

describe('NotificationHub', () => {
  it('hands each notification to every channel, in order', () => {
    const a = new FakeNotifier('a');
    const b = new FakeNotifier('b');
    const hub = new NotificationHub([a, b]);
    expect(hub.send(alert(), 'fire')).toBe(2);
    hub.send(alert(), 'resolve');
    expect(a.got).toEqual(['fire #12', 'resolve #12']);
    expect(b.got).toEqual(['fire #12', 'resolve #12']);
    expect(hub.statuses().map((s) => [s.name, s.sent])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('a channel that throws is caught, counted in its status, logged once, and does not stop the others', () => {
    const logs: string[] = [];
    const bad = new FakeNotifier('bad', { throwOnSend: (n) => n < 2 });
    const good = new FakeNotifier('good');
    const hub = new NotificationHub([bad, good], (l) => logs.push(l));
    expect(hub.send(alert({ id: 1 }), 'fire')).toBe(1);
    expect(() => hub.send(alert({ id: 2 }), 'fire')).not.toThrow();
    expect(good.got).toEqual(['fire #1', 'fire #2']);
    expect(hub.statuses()[0]).toMatchObject({ name: 'bad', ok: false, failed: 2, lastError: 'send threw: kaput' });
    expect(logs).toEqual(['notifications: bad send threw: kaput']);
    // It recovers: ok again, the count of lost notifications stays.
    hub.send(alert({ id: 3 }), 'fire');
    expect(hub.statuses()[0]).toMatchObject({ ok: true, failed: 2, sent: 1, lastError: null });
  });

  it('a status() that throws still yields a status', () => {
    const n = new FakeNotifier('odd');
    n.status = () => {
      throw new Error('no status');
    };
    expect(new NotificationHub([n]).statuses()).toEqual([
      { name: 'odd', ok: false, sent: 0, failed: 0, lastError: 'status threw: no status', lastSentAt: null, pending: 0 },
    ]);
  });

  it('close() closes every channel and never rejects', async () => {
    const logs: string[] = [];
    const a = new FakeNotifier('a', { rejectClose: true });
    const b = new FakeNotifier('b');
    await expect(new NotificationHub([a, b], (l) => logs.push(l)).close()).resolves.toBeUndefined();
    expect([a.closed, b.closed]).toEqual([true, true]);
    expect(logs).toEqual(['notifications: a did not close cleanly: stuck']);
  });
});
