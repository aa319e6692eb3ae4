import { describe, expect, it, vi } from 'vitest';
import { acknowledgeAlert, type FetchLike } from '../../dashboard/src/lib/ackAlert.js';
import { alert } from './fixtures.js';

const json = (status: number, body: unknown, statusText = '') =>
  new Response(JSON.stringify(body), { status, statusText, headers: { 'Content-Type': 'application/json' } });

describe('acknowledgeAlert', () => {
  it('POSTs an empty JSON object to /api/alerts/:id/ack (the agent refuses other types) and returns the stored record', async () => {
    const acked = alert(7, { acknowledgedAt: '2025-11-26T08:00:00Z' });
    const fetchImpl = vi.fn<FetchLike>(async () => json(200, { alert: acked }));
    await expect(acknowledgeAlert(7, fetchImpl)).resolves.toEqual(acked);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('/api/alerts/7/ack');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{}');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/json');
  });

  it("surfaces the server's message on a 404", async () => {
    const fetchImpl: FetchLike = async () => json(404, { error: { code: 'not_found', message: 'no alert 99' } }, 'Not Found');
    await expect(acknowledgeAlert(99, fetchImpl)).rejects.toThrow(/^no alert 99$/);
  });

  it('falls back to the HTTP status when the error body is not the API envelope', async () => {
    const fetchImpl: FetchLike = async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    await expect(acknowledgeAlert(1, fetchImpl)).rejects.toThrow(/^the agent answered HTTP 502 Bad Gateway$/);
  });

  it('says the agent cannot be reached when fetch itself fails', async () => {
    const fetchImpl: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(acknowledgeAlert(1, fetchImpl)).rejects.toThrow(/^the ollama-lens agent did not answer \(Failed to fetch\)$/);
  });

  it('rejects a 200 that does not carry the alert asked for', async () => {
    await expect(acknowledgeAlert(1, async () => json(200, { alert: alert(2) }))).rejects.toThrow('unexpected answer');
    await expect(acknowledgeAlert(1, async () => json(200, {}))).rejects.toThrow('unexpected answer');
    await expect(acknowledgeAlert(1, async () => new Response('ok', { status: 200 }))).rejects.toThrow('unexpected answer');
  });

  it('uses the global fetch by default', async () => {
    const acked = alert(3, { acknowledgedAt: '2025-11-26T08:00:00Z' });
    const spy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(200, { alert: acked }));
    try {
      await expect(acknowledgeAlert(3)).resolves.toEqual(acked);
      expect(spy).toHaveBeenCalledWith('/api/alerts/3/ack', expect.objectContaining({ method: 'POST' }));
    } finally {
      spy.mockRestore();
    }
  });
});
