// Alerts that a later request proves over: MLX serves the model again, a GPU serves it, a new conversation.
import { describe, expect, it } from 'vitest';
import { clocked, incident, MIN, noBaseline, request } from './fixtures.js';

describe('resolution by a later request', () => {
  it('resolves mlx_fallback when a later request of the same model is served by MLX', () => {
    const { engine, clock, advance } = clocked();
    engine.onIncident(incident(clock, 'mlx_fallback', { model: 'qwen3.5:35b-a3b' }));
    advance(MIN);
    expect(engine.onRequest(request(clock, { model: 'qwen3.5:35b-a3b', backend: 'metal' }), noBaseline)).toEqual([]);
    expect(engine.onRequest(request(clock, { model: 'other:1b', backend: 'mlx' }), noBaseline)).toEqual([]);
    expect(engine.onRequest(request(clock, { model: 'qwen3.5:35b-a3b', backend: 'mlx', status: 500 }), noBaseline)).toEqual([]);
    const req = request(clock, { model: 'qwen3.5:35b-a3b', backend: 'mlx' });
    expect(engine.onRequest(req, noBaseline)).toEqual([
      expect.objectContaining({
        key: 'mlx_fallback|model:qwen3.5:35b-a3b',
        change: 'resolved',
        notify: 'resolve',
        alert: expect.objectContaining({
          resolvedAt: '2026-03-01T10:01:00.000Z',
          evidence: ['mlx_fallback detail', `request #${req.id} was served by MLX`],
        }),
      }),
    ]);
  });

  it('resolves gpu_fallback when a later request of the same model runs on a GPU backend', () => {
    const { engine, clock } = clocked();
    engine.onIncident(incident(clock, 'gpu_fallback'));
    expect(engine.onRequest(request(clock, { backend: 'cpu' }), noBaseline)).toEqual([]);
    expect(engine.onRequest(request(clock, { backend: 'cuda' }), noBaseline)).toEqual([
      expect.objectContaining({ key: 'gpu_fallback|model:qwen3:8b', change: 'resolved' }),
    ]);
  });

  it('resolves context_near_limit on a new conversation: under half the window', () => {
    const { engine, clock } = clocked();
    // The request that raised it comes first (the correlator emits the request, then its incident).
    expect(engine.onRequest(request(clock, { ctxUsed: 30_000, ctxLimit: 32_768 }), noBaseline)).toEqual([]);
    engine.onIncident(incident(clock, 'context_near_limit'));
    expect(engine.onRequest(request(clock, { ctxUsed: 20_000, ctxLimit: 32_768 }), noBaseline)).toEqual([]);
    expect(engine.onRequest(request(clock, { ctxUsed: 10_000, ctxLimit: null }), noBaseline)).toEqual([]);
    expect(engine.onRequest(request(clock, { ctxUsed: 16_000, ctxLimit: 32_768 }), noBaseline)).toEqual([
      expect.objectContaining({ key: 'context_near_limit|model:qwen3:8b', change: 'resolved' }),
    ]);
    // Other context alerts are events: they end by time only.
    engine.onIncident(incident(clock, 'context_truncated'));
    expect(engine.onRequest(request(clock, { ctxUsed: 100, ctxLimit: 32_768 }), noBaseline)).toEqual([]);
  });

  it('judges a new conversation against min(contextAlertTokens, window) for huge windows', () => {
    const { engine, clock } = clocked();
    engine.onIncident(incident(clock, 'context_near_limit'));
    // 100k of a 256k window is under half the window, but still over the 90k alert line.
    expect(engine.onRequest(request(clock, { ctxUsed: 100_000, ctxLimit: 262_144 }), noBaseline)).toEqual([]);
    // MLX logs no output count: the prompt stands in for the context used, as in the correlator.
    expect(engine.onRequest(request(clock, { ctxUsed: null, promptTokens: 40_000, ctxLimit: 262_144 }), noBaseline)).toEqual([
      expect.objectContaining({ change: 'resolved' }),
    ]);
  });

  it('lets a request older than eventResolveMs (backfill) resolve nothing', () => {
    const { engine, clock } = clocked();
    engine.onIncident(incident(clock, 'mlx_fallback'));
    const old = new Date(clock.t - 31 * MIN).toISOString();
    expect(engine.onRequest(request(clock, { backend: 'mlx', at: old }), noBaseline)).toEqual([]);
    expect(engine.alerts()[0]!.state).toBe('firing');
  });
});
