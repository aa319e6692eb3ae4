import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../shared/alerts.js';
import type { MachineInfo } from '../../shared/memory.js';
import { INCIDENT_KINDS } from '../../shared/records.js';
import { mlxAvailability } from '../../dashboard/src/lib/mlxAvailability.js';
import { alert, machine } from './fixtures.js';

const GiB = 1024 ** 3;

const unavailable = alert(7, {
  kind: 'mlx_unavailable',
  subject: 'machine',
  model: null,
  title: 'MLX is not available to Ollama',
  evidence: ['MLX dynamic library not available: failed to load MLX dynamic library (searched: [/Applications/Ollama.app)'],
});
const fallback = alert(8, { kind: 'mlx_fallback' });
const failed = alert(9, {
  kind: 'mlx_failed',
  title: 'qwen3.5:35b: the MLX runner failed',
  evidence: ['MLX runner for qwen3.5:35b failed: exit status 1'],
});

describe('mlxAvailability from the machine alone', () => {
  it('is eligible on Apple Silicon with 32 GiB or more', () => {
    const e = mlxAvailability(machine({ memoryBytes: 32 * GiB }), []);
    expect(e).toMatchObject({ eligible: true, state: 'eligible', view: { text: 'MLX eligible', tone: 'ok' } });
  });

  it('says why not', () => {
    expect(mlxAvailability(machine({ appleSilicon: false, chip: 'AMD EPYC', arch: 'x64' }), []).view.text).toBe('MLX: not Apple Silicon');
    const small = mlxAvailability(machine({ memoryBytes: 16 * GiB }), []);
    expect(small).toMatchObject({ eligible: false, state: 'ineligible', view: { text: 'MLX: under 32 GiB' } });
    expect(small.view.title).toContain('16 GiB');
    // 32 GB sold as "32 GB" is 32 GiB on a Mac; 31.9 GiB is under.
    expect(mlxAvailability(machine({ memoryBytes: 31.9 * GiB }), []).eligible).toBe(false);
  });

  it('does not guess when the machine or its memory is unknown', () => {
    expect(mlxAvailability(null, [])).toMatchObject({ eligible: null, state: 'unknown', view: { text: 'MLX: unknown' } });
    expect(mlxAvailability(machine({ memoryBytes: null }), []).eligible).toBeNull();
    // Not Apple Silicon decides it even with unknown memory.
    expect(mlxAvailability(machine({ appleSilicon: false, memoryBytes: null }), []).eligible).toBe(false);
  });
});

describe('mlxAvailability with the alerts the banners show', () => {
  it('says MLX is unavailable, with the reason, while the library alert fires on an eligible Mac', () => {
    const m = mlxAvailability(machine(), [unavailable]);
    expect(m).toMatchObject({ eligible: true, state: 'unavailable', view: { text: 'MLX unavailable: library not loaded', tone: 'warn' } });
    expect(m.view.title).toContain('MLX is not available to Ollama');
    expect(m.view.title).toContain('failed to load MLX dynamic library');
    expect(m.alerts).toEqual([unavailable]);
  });

  it('keeps "eligible" but says a model fell back, or its runner failed', () => {
    expect(mlxAvailability(machine(), [fallback]).view).toMatchObject({ text: 'MLX eligible · fell back', tone: 'warn' });
    expect(mlxAvailability(machine(), [fallback]).view.title).toContain(fallback.title);
    expect(mlxAvailability(machine(), [alert(3, { kind: 'mlx_on_cpu' })]).view.text).toBe('MLX eligible · on CPU');
    // The worst one names the state, every one is in the tooltip.
    const both = mlxAvailability(machine(), [fallback, failed]);
    expect(both).toMatchObject({ state: 'degraded', view: { text: 'MLX eligible · runner failed', tone: 'error' } });
    expect(both.alerts.map((a) => a.id)).toEqual([9, 8]);
    expect(mlxAvailability(machine(), [fallback, unavailable, failed]).state).toBe('unavailable');
  });

  it('ignores resolved alerts and alerts about something else', () => {
    const resolved = { ...unavailable, state: 'resolved' as const, resolvedAt: '2025-11-26T08:00:00.000Z' };
    expect(mlxAvailability(machine(), [resolved, alert(4, { kind: 'memory_pressure' })]).view.text).toBe('MLX eligible');
  });

  it('keeps the hardware reason on a machine that cannot run MLX, and lists the alerts in the tooltip', () => {
    const m = mlxAvailability(machine({ memoryBytes: 16 * GiB }), [fallback]);
    expect(m).toMatchObject({ eligible: false, state: 'ineligible', view: { text: 'MLX: under 32 GiB' } });
    expect(m.view.title).toContain(fallback.title);
    // The log outranks the hardware: no library means no MLX on any machine.
    expect(mlxAvailability(null, [unavailable]).view.text).toBe('MLX unavailable: library not loaded');
  });
});

describe('the MLX pill and the alerts cannot disagree', () => {
  const machines: (MachineInfo | null)[] = [
    null,
    machine(),
    machine({ memoryBytes: 16 * GiB }),
    machine({ memoryBytes: null }),
    machine({ appleSilicon: false, chip: 'AMD EPYC', arch: 'x64' }),
  ];
  const mlxKinds = INCIDENT_KINDS.filter((k) => k.startsWith('mlx_') && k !== 'mlx_working_set');
  // Every subset of MLX alerts (firing), plus unrelated and resolved ones that must not matter.
  const subsets: AlertRecord[][] = [];
  for (let mask = 0; mask < 1 << mlxKinds.length; mask++) {
    const firing = mlxKinds.filter((_, i) => mask & (1 << i)).map((kind, i) => alert(100 + i, { kind, title: `the ${kind} alert` }));
    subsets.push([...firing, alert(200, { kind: 'context_truncated' }), alert(201, { kind: 'mlx_unavailable', state: 'resolved' })]);
  }

  it('covers the MLX alert kinds of the agent', () => {
    expect([...mlxKinds].sort()).toEqual(['mlx_failed', 'mlx_fallback', 'mlx_on_cpu', 'mlx_unavailable']);
    expect(subsets).toHaveLength(16);
  });

  const cases = machines.map((m, i) => [i, m] as const);
  it.each(cases)('machine %i: the pill never reads "MLX eligible" alone while an MLX alert fires', (_i, m) => {
    for (const alerts of subsets) {
      const firingKinds = new Set(alerts.filter((a) => a.state === 'firing').map((a) => a.kind));
      const { view, state } = mlxAvailability(m, alerts);
      const mlxFiring = mlxKinds.some((k) => firingKinds.has(k));
      // A plain "MLX eligible" (green) only when no MLX alert fires.
      expect(view.text === 'MLX eligible').toBe(m?.appleSilicon === true && (m.memoryBytes ?? 0) >= 32 * GiB && !mlxFiring);
      expect(view.tone === 'ok').toBe(view.text === 'MLX eligible');
      // "MLX is not available" as an alert means "unavailable" on the pill, whatever the hardware says.
      expect(state === 'unavailable').toBe(firingKinds.has('mlx_unavailable'));
      expect(view.text.startsWith('MLX unavailable')).toBe(firingKinds.has('mlx_unavailable'));
      // Every firing MLX alert is named in the pill's detail.
      const named = alerts.filter((a) => a.state === 'firing' && mlxKinds.includes(a.kind)).map((a) => a.title);
      expect(named.filter((t) => !view.title!.includes(t))).toEqual([]);
    }
  });
});
