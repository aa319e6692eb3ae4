import { describe, expect, it } from 'vitest';
import { ackAllLabel, acknowledgeAll } from '../../dashboard/src/lib/ackAll.js';

describe('acknowledgeAll', () => {
  it('posts the ids as JSON, with the JSON content type the CSRF rule asks for', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const result = await acknowledgeAll([3, 1], async (url, init) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ count: 1, alerts: [{ id: 3 }] }), { status: 200 });
    });
    expect(result).toEqual([{ id: 3 }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/api/alerts/ack-all');
    expect(calls[0]!.init?.method).toBe('POST');
    expect((calls[0]!.init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(calls[0]!.init?.body as string)).toEqual({ ids: [3, 1] });
  });

  it('reports the agent’s own message, or what went wrong', async () => {
    const envelope = () =>
      Promise.resolve(
        new Response(JSON.stringify({ error: { code: 'forbidden', message: 'cross-site request refused' } }), { status: 403 }),
      );
    await expect(acknowledgeAll([1], envelope)).rejects.toThrow('cross-site request refused');
    await expect(acknowledgeAll([1], () => Promise.reject(new Error('Failed to fetch')))).rejects.toThrow(
      'the ollama-lens agent did not answer (Failed to fetch)',
    );
    await expect(acknowledgeAll([1], () => Promise.resolve(new Response('<html>', { status: 502 })))).rejects.toThrow(
      'the agent answered HTTP 502',
    );
  });

  it('labels the button with the count', () => {
    expect(ackAllLabel(15, false)).toBe('Acknowledge all 15 firing alerts');
    expect(ackAllLabel(15, true)).toBe('Acknowledging 15 alerts…');
  });
});
