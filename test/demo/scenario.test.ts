import { describe, expect, it } from 'vitest';
import { scenario, type ScenarioStep } from '../../agent/demo/scenario.js';
import { createDemoState } from '../../agent/demo/state.js';
import type { CorrelatedRecord } from '../../agent/correlate/records.js';
import { LogPipeline } from '../../agent/pipeline/LogPipeline.js';

const START = new Date('2026-11-26T07:00:00.000Z');
const GIN = /^\[GIN\] \d{4}\/\d\d\/\d\d - \d\d:\d\d:\d\d \| {0,2}\d{3} \| +\S+ \| +\S+ \| \S+ +"[^"]*"$/;
const SLOG = /^time=(\S+) level=(INFO|WARN|ERROR|DEBUG) source=[\w.]+\.go:\d+ msg=("(?:[^"\\]|\\.)*"|\S+)( |$)/;
/** The first session's story fits well within this many steps. */
const N = 120;

function take(seed: number, n: number, offset = '+01:00'): ScenarioStep[] {
  const out: ScenarioStep[] = [];
  for (const step of scenario({ start: START, offset, seed })) {
    out.push(step);
    if (out.length >= n) break;
  }
  return out;
}

const allLines = (steps: ScenarioStep[]): string[] => steps.flatMap((s) => s.lines);

describe('demo scenario', () => {
  it('is deterministic for a seed and varies between seeds', () => {
    expect(take(42, N)).toEqual(take(42, N));
    expect(allLines(take(42, N))).not.toEqual(allLines(take(43, N)));
  });

  it('emits only well-formed GIN and slog lines', () => {
    const lines = allLines(take(3, 400));
    const ginLines = lines.filter((l) => l.startsWith('[GIN]'));
    expect(ginLines.length).toBeGreaterThan(50);
    for (const l of ginLines) expect(l).toMatch(GIN);
    for (const l of lines.filter((x) => x.startsWith('time='))) expect(l).toMatch(SLOG);
    for (const l of lines) expect(l).not.toMatch(/\n/);
  });

  it('tells the whole story within the first steps', () => {
    const text = allLines(take(7, N)).join('\n');
    expect(text).toMatch(/msg="server config" env="map\[.* OLLAMA_USE_MLX:1 /);
    expect(text).toContain('msg="Listening on 127.0.0.1:11434 (version 0.33.0)"');
    expect(text).toMatch(/msg="inference compute" .*library=Metal .*description="Apple M3 Max" .*type=iGPU total="96.0 GiB"/);
    expect(text).toMatch(/msg="starting mlx runner subprocess" model=qwen3\.5:35b-a3b port=\d+/);
    expect(text).toMatch(/msg="MLX engine initialized" "MLX version"=\S+ device=gpu/);
    expect(text).toMatch(/msg="mlx runner is ready" port=\d+/);
    expect(text).toContain('msg="using mlx backend"');
    expect(text).toMatch(/msg="cache (hit|miss)" total=\d+/);
    expect(text).toMatch(/msg="peak memory" size="[\d.]+ GiB"/);
    expect(text).toMatch(/msg="using llama-server for model" model=\/Users\/demo\/\.ollama\/models\/blobs\/sha256-[0-9a-f]{64}\n/);
    expect(text).toMatch(/msg="starting llama-server" cmd=".* -c 8192 -np 1 /);
    expect(text).toContain('load_tensors: offloaded 33/33 layers to GPU');
    expect(text).toMatch(/llama_kv_cache: +MTL0 KV buffer size = +[\d.]+ MiB/);
    expect(text).toMatch(/slot update_slots: id {2}0 \| task \d+ \| new prompt, n_ctx_slot = 8192, n_keep = 4, task\.n_tokens = \d+/);
    expect(text).toMatch(/slot print_timing: id {2}0 \| task \d+ \| prompt eval time = +[\d.]+ ms \/ +\d+ tokens/);
    expect(text).toMatch(/slot {6}release: id {2}0 \| task \d+ \| stop processing: n_tokens = \d+, truncated = 0/);
    expect(text).toMatch(/msg="llama-server started in \d+\.\d\d seconds"/);
    expect(text).toMatch(/level=WARN .*msg="truncating input prompt" limit=4098 prompt=\d+ keep=4 new=4098/);
    expect(text).toContain('kIOGPUCommandBufferCallbackErrorOutOfMemory');
    expect(text).toMatch(/level=ERROR .*msg="llama-server terminated"/);
    expect(text).toMatch(/\| 500 \| +\S+ \| +\S+ \| POST +"\/api\/chat"/);
    for (const path of ['/api/generate', '/api/chat', '/v1/chat/completions', '/api/tags']) expect(text).toContain(`"${path}"`);
  });

  it('serves llama3.3:70b without a "using mlx backend" line (the fallback)', () => {
    const lines = allLines(take(11, N));
    const blob70b = lines.find((l) => l.includes('registry.ollama.ai/library/llama3.3:70b'));
    expect(blob70b).toBeDefined();
    // Between the 70b load and the crash, every access line belongs to llama-server: no MLX marker.
    const from = lines.findIndex((l) => l.includes('library/llama3.3:70b'));
    const to = lines.findIndex((l) => l.includes('llama-server terminated'));
    expect(from).toBeGreaterThan(0);
    expect(to).toBeGreaterThan(from);
    expect(lines.slice(from, to).some((l) => l.includes('using mlx backend'))).toBe(false);
    // …and a reload follows the crash.
    expect(lines.slice(to).some((l) => l.includes('msg="using llama-server for model"'))).toBe(true);
  });

  it('grows the long conversation past 85% of its window before truncating', () => {
    const lines = allLines(take(5, N));
    const warn = lines.findIndex((l) => l.includes('truncating input prompt'));
    const sizes = lines
      .slice(0, warn)
      .map((l) => /task\.n_tokens = (\d+)/.exec(l)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number);
    expect(Math.max(...sizes)).toBeGreaterThan(0.85 * 8192 - 400);
  });

  it('keeps a human pace and monotonic timestamps', () => {
    const steps = take(9, 300);
    const delays = steps.map((s) => s.delayMs).sort((a, b) => a - b);
    const median = delays[Math.floor(delays.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(1000);
    expect(median).toBeLessThanOrEqual(4000);
    const stamps = allLines(steps)
      .map((l) => /^time=(\S+)/.exec(l)?.[1])
      .filter((x): x is string => x !== undefined)
      .map((s) => Date.parse(s));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]!).toBeGreaterThanOrEqual(stamps[i - 1]!);
    expect(stamps[0]).toBe(START.getTime());
  });

  it('restarts the server after a session and tracks what is loaded', () => {
    const state = createDemoState();
    let starts = 0;
    const firstLines: (string | undefined)[] = [];
    let maxLoaded = 0;
    let n = 0;
    for (const step of scenario({ start: START, offset: 'Z', seed: 2, state })) {
      if (step.serverStart) {
        starts++;
        firstLines.push(step.lines[0]);
      }
      maxLoaded = Math.max(maxLoaded, state.loaded.length);
      if (starts === 2 || ++n > 400) break;
    }
    expect(starts).toBe(2);
    expect(firstLines).toEqual([expect.stringContaining('msg="server config"'), expect.stringContaining('msg="server config"')]);
    expect(maxLoaded).toBe(3);
    expect(state.loaded).toEqual([]);
  });

  it('in the usage mix (the bench log) runs days of ordinary requests, reloads after idle, and still tells the stories', () => {
    const pipeline = new LogPipeline();
    const counts = { request: 0, load: 0, incident: 0, server: 0 };
    const loads = new Set<number>();
    let starts = 0;
    for (const step of scenario({ start: START, offset: 'Z', seed: 5, mix: 'usage' })) {
      if (step.serverStart && ++starts > 3) break;
      const out: CorrelatedRecord[] = [];
      for (const line of step.lines) pipeline.push(line, out);
      for (const r of out) {
        counts[r.kind]++;
        if (r.kind === 'load') loads.add(r.record.key);
      }
    }
    expect(pipeline.unparsed).toBe(0);
    expect(counts.server).toBeGreaterThanOrEqual(3);
    // Two ordinary days and the classic story: mostly requests, a few loads (day starts, idle reloads, the story's).
    expect(counts.request).toBeGreaterThan(2 * 400);
    expect(counts.request / loads.size).toBeGreaterThan(30);
    expect(counts.incident).toBeGreaterThan(0);
  });
});
