// The demo's first server sessions must show every incident kind the agent detects, each in the
// line formats a real Ollama (era F) and its llama-server/MLX runners print, in story order.
import { describe, expect, it } from 'vitest';
import { createFakeOllamaApp } from '../../agent/demo/fakeOllama.js';
import { scenario } from '../../agent/demo/scenario.js';
import { createDemoState } from '../../agent/demo/state.js';
import { analyzeLines } from '../../agent/analyze/analyzeLog.js';

const START = new Date('2026-11-26T07:00:00.000Z');
/** classic, big MLX model, broken update, CPU surprises. */
const SESSIONS = 4;
/** 169: the long conversation's own growth stops at 85.7% of its window, so the classic session adds a turn. */
const SEEDS = [1, 2, 5, 7, 42, 169];

/** The lines of the first `n` server sessions. */
function renderSessions(seed: number, n = SESSIONS): string[][] {
  const out: string[][] = [];
  for (const step of scenario({ start: START, offset: '+01:00', seed })) {
    if (step.serverStart) {
      if (out.length === n) break;
      out.push([]);
    }
    out[out.length - 1]!.push(...step.lines);
  }
  return out;
}

const RUNNER_START = /msg="(?:starting mlx runner subprocess|starting llama-server)"/;
const GIN = /^\[GIN\] \d{4}\/\d\d\/\d\d - \d\d:\d\d:\d\d \| +(\d{3}) \| +(\S+) \| +\S+ \| (\S+) +"([^"]*)"$/;
const INFERENCE = /^\/(?:api\/(?:chat|generate|embed)|v1\/(?:chat\/completions|completions))$/;

/** First index at or after `from` whose line matches `re`; -1 if `stop` matches earlier or none does. */
function findFrom(lines: readonly string[], from: number, re: RegExp, stop?: RegExp): number {
  for (let i = Math.max(0, from); i < lines.length; i++) {
    if (re.test(lines[i]!)) return i;
    if (stop?.test(lines[i]!)) return -1;
  }
  return -1;
}

/** Go `time.Duration.String()` back to milliseconds (gin's latency column). */
function goDurationMs(s: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, µs: 1e-3, ns: 1e-6 };
  let ms = 0;
  for (const m of s.matchAll(/([\d.]+)(h|ms|m|µs|ns|s)/g)) ms += Number(m[1]) * units[m[2]!]!;
  return ms;
}

interface Access {
  index: number;
  status: number;
  latencyMs: number;
  path: string;
}

/** The next inference access line at or after `from`, if it comes before the next runner start. */
function accessAfter(lines: readonly string[], from: number): Access | undefined {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (i > from && RUNNER_START.test(line)) return undefined;
    const m = GIN.exec(line);
    if (m && m[3] === 'POST' && INFERENCE.test(m[4]!))
      return { index: i, status: Number(m[1]), latencyMs: goDurationMs(m[2]!), path: m[4]! };
  }
  return undefined;
}

const slogTime = (line: string): number => Date.parse(/^time=(\S+)/.exec(line)?.[1] ?? '');

interface Task {
  id: number;
  start: number;
  ctx: number;
  prompt: number;
  cached: number;
  processed: number;
  prefillMs: number;
  prefillMsPerToken: number;
  prefillTps: number;
  gen: number;
  decodeMs: number;
  decodeMsPerToken: number;
  decodeTps: number;
  totalMs: number;
  totalTokens: number;
  released: number;
  truncated: number;
  shifts: Array<{ nKeep: number; nLeft: number; nDiscard: number }>;
  access: Access | undefined;
}

const num = (re: RegExp, line: string): number[] | undefined => re.exec(line)?.slice(1).map(Number);

/** llama-server tasks from `new prompt` to `stop processing`, with the access line that follows. */
function llamaTasks(lines: readonly string[]): Task[] {
  const out: Task[] = [];
  let cur: Partial<Task> & { shifts: Task['shifts'] } = { shifts: [] };
  lines.forEach((line, i) => {
    let m: number[] | undefined;
    if ((m = num(/\| task (\d+) \| new prompt, n_ctx_slot = (\d+), n_keep = 4, task\.n_tokens = (\d+)$/, line))) {
      cur = { id: m[0], start: i, ctx: m[1], prompt: m[2], shifts: [] };
    } else if ((m = num(/\| cached n_tokens = (\d+), memory_seq_rm \[(\d+), end\)$/, line))) {
      cur.cached = m[0];
    } else if (
      (m = num(/\| prompt eval time = +([\d.]+) ms \/ +(\d+) tokens \( +([\d.]+) ms per token, +([\d.]+) tokens per second\)$/, line))
    ) {
      [cur.prefillMs, cur.processed, cur.prefillMsPerToken, cur.prefillTps] = m;
    } else if (
      (m = num(/\| {8}eval time = +([\d.]+) ms \/ +(\d+) tokens \( +([\d.]+) ms per token, +([\d.]+) tokens per second\)$/, line))
    ) {
      [cur.decodeMs, cur.gen, cur.decodeMsPerToken, cur.decodeTps] = m;
    } else if ((m = num(/\| {7}total time = +([\d.]+) ms \/ +(\d+) tokens$/, line))) {
      [cur.totalMs, cur.totalTokens] = m;
    } else if (
      (m = num(/^slot update_slots: id {2}0 \| task \d+ \| slot context shift, n_keep = (\d+), n_left = (\d+), n_discard = (\d+)$/, line))
    ) {
      cur.shifts.push({ nKeep: m[0]!, nLeft: m[1]!, nDiscard: m[2]! });
    } else if ((m = num(/^slot {6}release: id {2}0 \| task (\d+) \| stop processing: n_tokens = (\d+), truncated = ([01])$/, line))) {
      expect(m[0]).toBe(cur.id);
      out.push({ ...(cur as Task), released: m[1]!, truncated: m[2]!, access: accessAfter(lines, i) });
      cur = { shifts: [] };
    }
  });
  return out;
}

describe.each(SEEDS)('demo incidents (seed %i)', (seed) => {
  const sessions = renderSessions(seed);
  const all = sessions.flat();
  const sessionOf = (re: RegExp): number => sessions.findIndex((lines) => lines.some((l) => re.test(l)));

  it('renders four sessions, each starting with the server config (after any pre-slog warning)', () => {
    expect(sessions).toHaveLength(SESSIONS);
    for (const lines of sessions)
      expect(lines.find((l) => l.startsWith('time='))).toMatch(/msg="server config" env="map\[.* OLLAMA_USE_MLX:1 /);
  });

  it('mlx_fallback: llama3.3:70b is served by llama-server with no "using mlx backend" line', () => {
    const load = all.findIndex((l) => /msg="template selection" model=registry\.ollama\.ai\/library\/llama3\.3:70b /.test(l));
    expect(load).toBeGreaterThan(0);
    const runner = all.slice(0, load).findLastIndex((l) => RUNNER_START.test(l));
    expect(all[runner]).toMatch(/msg="starting llama-server" cmd=".*\/llama-server --model /);
    const done = accessAfter(all, load);
    expect(done).toMatchObject({ status: 200, path: '/api/chat' });
    const served = all.slice(runner, done!.index);
    expect(served.some((l) => /^slot {6}release: /.test(l))).toBe(true);
    expect(served.some((l) => l.includes('using mlx backend'))).toBe(false);
  });

  it('mlx_on_cpu: a device=cpu MLX runner serves a slow request before the next runner starts', () => {
    const init = findFrom(all, 0, /level=INFO source=\S+ msg="MLX engine initialized" "MLX version"=0\.30\.6 device=cpu$/);
    expect(init).toBeGreaterThan(0);
    const runner = all.slice(0, init).findLastIndex((l) => RUNNER_START.test(l));
    expect(all[runner]).toMatch(/msg="starting mlx runner subprocess" model=qwen3\.5:35b-a3b port=\d+$/);
    const used = findFrom(all, init, /msg="using mlx backend" model=qwen3\.5:35b-a3b$/, RUNNER_START);
    const miss = findFrom(all, used, /msg="cache miss" total=\d+/, RUNNER_START);
    const peak = findFrom(all, miss, /msg="peak memory" size="[\d.]+ GiB"$/, RUNNER_START);
    expect(Math.min(used, miss, peak)).toBeGreaterThan(init);
    expect(accessAfter(all, peak)).toMatchObject({ status: 200 });
    // A few hundred tokens in and out, on the GPU ~2 s: on the CPU it takes several times that.
    expect(slogTime(all[peak]!) - slogTime(all[miss]!)).toBeGreaterThan(6000);
  });

  it('mlx_failed: an MLX runner that never becomes ready, an ERROR line and a 500', () => {
    const failed = findFrom(
      all,
      0,
      /level=ERROR source=\S+ msg="error loading llama server" error="mlx runner failed: Error: MLX not available: failed to load MLX dynamic library \(searched: \[[^\]]+\]\) \(exit: exit status 1\)"$/,
    );
    expect(failed).toBeGreaterThan(0);
    const runner = all.slice(0, failed).findLastIndex((l) => RUNNER_START.test(l));
    expect(all[runner]).toMatch(/msg="starting mlx runner subprocess" model=\S+ port=\d+$/);
    expect(all.slice(runner, failed).some((l) => /msg="(?:MLX engine initialized|mlx runner is ready|using mlx backend)"/.test(l))).toBe(
      false,
    );
    expect(accessAfter(all, failed)).toMatchObject({ status: 500 });
  });

  it('mlx_unavailable: a session opens with the Go-log warning, stamped in local time without a zone', () => {
    const s = sessions.findIndex((lines) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d WARN MLX dynamic library not available/.test(lines[0]!));
    expect(s).toBeGreaterThan(0);
    const [warn, config] = sessions[s]!;
    expect(warn).toMatch(
      /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d WARN MLX dynamic library not available error="failed to load MLX dynamic library \(searched: \[\/Applications\/Ollama\.app\/Contents\/Resources\]\)"$/,
    );
    expect(config).toMatch(/^time=\S+ level=INFO source=routes\.go:\d+ msg="server config" /);
    // Same wall clock as the slog line after it (offset +01:00), to the second.
    const local = /^time=(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)\.\d{3}\+01:00 /.exec(config!)!;
    expect(warn!.startsWith(`${local[1]}/${local[2]}/${local[3]} ${local[4]} `)).toBe(true);
    // The update is visible in the version, and the session's MLX loads fail.
    expect(sessions[s]!.join('\n')).toMatch(/msg="Listening on 127\.0\.0\.1:11434 \(version 0\.33\.1\)"/);
    expect(sessionOf(/msg="error loading llama server" error="mlx runner failed: /)).toBe(s);
  });

  it('mlx_working_set: the MLX load of a big model warns that it exceeds the recommended working set', () => {
    const warn = findFrom(
      all,
      0,
      /level=WARN source=\S+ msg="MLX model exceeds the recommended working set; performance may be degraded" active="([\d.]+) GiB" recommended="([\d.]+) GiB"$/,
    );
    expect(warn).toBeGreaterThan(0);
    const [active, recommended] = num(/active="([\d.]+) GiB" recommended="([\d.]+) GiB"/, all[warn]!)!;
    expect(active).toBeGreaterThan(recommended!);
    expect(recommended).toBe(72);
    const runner = all.slice(0, warn).findLastIndex((l) => RUNNER_START.test(l));
    expect(all[runner]).toMatch(/msg="starting mlx runner subprocess" model=qwen3-next:80b-a3b-mxfp8 port=\d+$/);
    expect(findFrom(all, runner, /msg="MLX engine initialized" "MLX version"=\S+ device=gpu$/)).toBeLessThan(warn);
    expect(findFrom(all, warn, /msg="mlx runner is ready" port=\d+$/, RUNNER_START)).toBeGreaterThan(warn);
    expect(accessAfter(all, warn)).toMatchObject({ status: 200 });
  });

  it('gpu_fallback: a -ngl 0 load on a Mac with Metal: 0/33 layers, CPU KV, slow CPU timings', () => {
    const cmd = findFrom(all, 0, /msg="starting llama-server" cmd="[^"]* -b 512 -ub 512 -ngl 0 --context-shift --keep 4"$/);
    expect(cmd).toBeGreaterThan(0);
    const s = sessions.findIndex((lines) => lines.includes(all[cmd]!));
    expect(sessions[s]!.some((l) => /msg="inference compute" .*library=Metal /.test(l))).toBe(true);
    const next = findFrom(all, cmd + 1, RUNNER_START);
    const load = all.slice(cmd, next < 0 ? undefined : next);
    expect(load).toContain('load_tensors: offloaded 0/33 layers to GPU');
    expect(load.some((l) => /^llama_kv_cache: +CPU KV buffer size = +1024\.00 MiB$/.test(l))).toBe(true);
    expect(load.some((l) => /MTL0(?:_Mapped)? (?:model|KV) buffer size/.test(l))).toBe(false);
    const served = llamaTasks(load);
    expect(served.length).toBeGreaterThan(0);
    for (const t of served) {
      expect(t.prefillTps).toBeLessThan(150);
      expect(t.decodeTps).toBeLessThan(20);
      expect(t.access?.status).toBe(200);
    }
  });

  it('partial_offload: llama-server keeps 31 of 33 layers on MTL0 and splits the KV cache', () => {
    const off = findFrom(all, 0, /^load_tensors: offloaded 31\/33 layers to GPU$/);
    expect(off).toBeGreaterThan(0);
    const cmd = all.slice(0, off).findLastIndex((l) => RUNNER_START.test(l));
    expect(all[cmd]).toMatch(/msg="starting llama-server" cmd="(?![^"]* -ngl )[^"]*"$/);
    const fitted = findFrom(all, cmd, /^common_params_fit_impl: {3}- MTL0 \(Apple M3 Max\): 31 layers, +\d+ MiB used, +\d+ MiB free$/);
    expect(fitted).toBeGreaterThan(cmd);
    expect(fitted).toBeLessThan(off);
    const cpuKv = findFrom(all, off, /^llama_kv_cache: +CPU KV buffer size = +64\.00 MiB$/, RUNNER_START);
    const gpuKv = findFrom(all, off, /^llama_kv_cache: +MTL0 KV buffer size = +960\.00 MiB$/, RUNNER_START);
    expect(cpuKv).toBeGreaterThan(off);
    expect(gpuKv).toBeGreaterThan(cpuKv);
    expect(all[gpuKv + 1]).toMatch(/^llama_kv_cache: size = 1024\.00 MiB \( {2}8192 cells, {2}32 layers, {2}1\/1 seqs\)/);
    expect(accessAfter(all, gpuKv)).toMatchObject({ status: 200 });
  });

  it('context_near_limit: a llama-server request reaches 85% of its window without truncation', () => {
    // 0.86: the demo keeps a margin over the agent's default ratio (0.85).
    const near = llamaTasks(all).filter(
      (t) => t.prompt + t.gen >= 0.86 * t.ctx && t.prompt + t.gen < t.ctx && t.shifts.length === 0 && t.truncated === 0,
    );
    expect(near.length).toBeGreaterThan(0);
    const t = near[0]!;
    // Ollama did not pre-truncate it either: no warning since the previous access line.
    const previous = all.slice(0, t.start).findLastIndex((l) => l.startsWith('[GIN]'));
    expect(all.slice(previous, t.start).some((l) => l.includes('truncating input prompt'))).toBe(false);
    expect(t.access?.status).toBe(200);
    // …and it comes before the truncation of the same conversation.
    expect(t.start).toBeLessThan(findFrom(all, 0, /msg="truncating input prompt"/));
  });

  it('context_truncated: Ollama truncates an over-long prompt to what llama-server then receives', () => {
    const warn = findFrom(all, 0, /level=WARN source=\S+ msg="truncating input prompt" limit=4098 prompt=(\d+) keep=4 new=4098$/);
    expect(warn).toBeGreaterThan(0);
    expect(Number(/prompt=(\d+)/.exec(all[warn]!)![1])).toBeGreaterThan(8192);
    expect(findFrom(all, warn, /\| new prompt, n_ctx_slot = 8192, n_keep = 4, task\.n_tokens = 4098$/)).toBe(warn + 3);
    expect(accessAfter(all, warn)).toMatchObject({ status: 200 });
  });

  it('context_shift: a long generation shifts the context mid-decode, exactly as llama-server logs it', () => {
    const shifted = llamaTasks(all).filter((t) => t.shifts.length > 0);
    expect(shifted).toHaveLength(1);
    const t = shifted[0]!;
    expect(t.shifts).toEqual([{ nKeep: 4, nLeft: 8187, nDiscard: 4093 }]);
    expect(all).toContain(`slot update_slots: id  0 | task ${t.id} | slot context shift, n_keep = 4, n_left = 8187, n_discard = 4093`);
    expect(t.prompt).toBeLessThan(t.ctx);
    expect(t.prompt + t.gen).toBeGreaterThan(t.ctx);
    expect(t.truncated).toBe(1);
    expect(t.access?.status).toBe(200);
  });

  it('runner_crash and oom: the Metal OOM abort, the era-F termination line and a 500', () => {
    const sync = findFrom(all, 0, /^ggml_metal_synchronize: error: command buffer 0 failed with status 5$/);
    expect(sync).toBeGreaterThan(0);
    expect(all[sync + 1]).toBe('error: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)');
    const term = findFrom(all, sync, /level=ERROR source=\S+ msg="llama-server terminated" error="exit status 2" exit=2$/, RUNNER_START);
    expect(term).toBeGreaterThan(sync + 1);
    expect(findFrom(all, term, /level=WARN source=\S+ msg="runtime OOM detected; expiring loaded models/, RUNNER_START)).toBeGreaterThan(
      term,
    );
    expect(accessAfter(all, term)).toMatchObject({ status: 500, path: '/api/chat' });
  });

  it('tells the incidents in story order, one session per chapter', () => {
    expect(sessionOf(/msg="truncating input prompt"/)).toBe(0);
    expect(sessionOf(/msg="llama-server terminated"/)).toBe(0);
    expect(sessionOf(/msg="MLX model exceeds the recommended working set/)).toBe(1);
    expect(sessionOf(/^load_tensors: offloaded 31\/33 layers to GPU$/)).toBe(1);
    expect(sessionOf(/WARN MLX dynamic library not available/)).toBe(2);
    expect(sessionOf(/slot context shift/)).toBe(2);
    expect(sessionOf(/"MLX version"=\S+ device=cpu$/)).toBe(3);
    expect(sessionOf(/ -ngl 0 /)).toBe(3);
  });

  it('prints llama-server timings that add up, and access lines that cover them', () => {
    const tasks = llamaTasks(all);
    expect(tasks.length).toBeGreaterThan(15);
    for (const t of tasks) {
      expect(t.prompt).toBeLessThanOrEqual(t.ctx);
      expect(t.processed).toBe(t.prompt - t.cached);
      expect(t.prefillMsPerToken).toBeCloseTo(t.prefillMs / t.processed, 1);
      expect(t.prefillTps).toBeCloseTo((t.processed / t.prefillMs) * 1000, 1);
      expect(t.decodeMsPerToken).toBeCloseTo(t.decodeMs / t.gen, 1);
      expect(t.decodeTps).toBeCloseTo((t.gen / t.decodeMs) * 1000, 1);
      expect(t.totalMs).toBeCloseTo(t.prefillMs + t.decodeMs, 1);
      expect(t.totalTokens).toBe(t.processed + t.gen);
      for (const s of t.shifts) expect(s.nDiscard).toBe(Math.floor(s.nLeft / 2));
      const dropped = t.shifts.reduce((sum, s) => sum + s.nDiscard, 0);
      expect(t.released).toBe(t.prompt + t.gen - 1 - dropped);
      expect(t.truncated).toBe(t.shifts.length > 0 ? 1 : 0);
      expect(t.access, `task ${t.id} has an access line`).toBeDefined();
      // Gin truncates latencies over a minute to whole seconds (the 128K conversation's turns take that long).
      const covered = t.access!.latencyMs >= 60_000 ? Math.floor(t.totalMs / 1000) * 1000 : t.totalMs;
      expect(t.access!.latencyMs).toBeGreaterThanOrEqual(covered);
    }
  });
});

describe('demo incidents: the fake API follows what is loaded', () => {
  it('reports size_vram, formats and the version consistently with the log', async () => {
    const state = createDemoState();
    const app = createFakeOllamaApp(state, 60);
    /** The latest `offloaded X/Y` and `-c N` per GGUF model, from the lines written so far. */
    const placement = new Map<string, [number, number]>();
    const window = new Map<string, number>();
    let pending: [number, number] | undefined;
    let pendingCtx: number | undefined;
    let starts = 0;
    const seen = { cpu: 0, partial: 0, full: 0, mlx: 0, versions: new Set<string>(), windows: new Set<number>() };
    // [the version a Listening line logged, what /api/version answered right after it]
    const versionPairs: [string, string][] = [];
    for (const step of scenario({ start: START, offset: '+01:00', seed: 3, state })) {
      if (step.serverStart && ++starts > SESSIONS) break;
      if (step.serverStart) placement.clear();
      for (const line of step.lines) {
        const started = /msg="starting llama-server" cmd=".* -c (\d+) /.exec(line);
        if (started) pendingCtx = Number(started[1]);
        const off = /^load_tensors: offloaded (\d+)\/(\d+) layers to GPU$/.exec(line);
        if (off) pending = [Number(off[1]), Number(off[2])];
        const named = /msg="template selection" model=registry\.ollama\.ai\/library\/(\S+) /.exec(line);
        if (named && pending) {
          placement.set(named[1]!, pending);
          window.set(named[1]!, pendingCtx!);
          pending = undefined;
        }
        const listening = /\(version ([\d.]+)\)"$/.exec(line);
        if (listening) {
          const body = (await (await app.request('/api/version')).json()) as { version: string };
          versionPairs.push([listening[1]!, body.version]);
          seen.versions.add(body.version);
        }
      }
      if (!step.lines.some((l) => GIN.test(l) && l.includes('| 200 |') && l.includes('POST'))) continue;
      const ps = (await (await app.request('/api/ps')).json()) as {
        models: Array<{ name: string; size: number; size_vram: number; context_length: number; details: { format: string } }>;
      };
      for (const m of ps.models) {
        const mlx = m.details.format === 'safetensors';
        // Where the load's log put its layers (an MLX model is wholly in unified memory): none, some or all on the GPU.
        const [gpu, total] = mlx ? [1, 1] : placement.get(m.name)!;
        const said = gpu === 0 ? 'cpu' : gpu < total ? 'partial' : 'full';
        const vram =
          m.size_vram === m.size
            ? 'full'
            : m.size_vram === 0
              ? 'cpu'
              : m.size_vram > 0.8 * m.size && m.size_vram < m.size
                ? 'partial'
                : `${m.size_vram} of ${m.size}`;
        expect(vram, m.name).toBe(said);
        seen[mlx ? 'mlx' : said]++;
      }
      // 8192 (the clients' num_ctx), or 131072 for the long-document conversation: what the load said.
      for (const m of ps.models.filter((x) => x.details.format !== 'safetensors')) {
        expect(m.context_length, m.name).toBe(window.get(m.name));
        seen.windows.add(m.context_length);
      }
    }
    expect(versionPairs.filter(([logged, api]) => logged !== api)).toEqual([]);
    expect(seen.cpu).toBeGreaterThan(0);
    expect(seen.partial).toBeGreaterThan(0);
    expect(seen.full).toBeGreaterThan(0);
    expect(seen.mlx).toBeGreaterThan(0);
    expect([...seen.versions]).toEqual(['0.33.0', '0.33.1']);
    expect([...seen.windows].sort((a, b) => a - b)).toEqual([8192, 131072]);
  });

  it('does not report a model whose MLX runner failed to start', () => {
    const state = createDemoState();
    let failures = 0;
    let steps = 0;
    for (const step of scenario({ start: START, offset: '+01:00', seed: 3, state })) {
      if (++steps > 400) break;
      if (!step.lines.some((l) => l.includes('msg="error loading llama server"'))) continue;
      failures++;
      expect(state.loaded.map((l) => l.model.name)).not.toContain('qwen3.5:35b-a3b');
    }
    expect(failures).toBeGreaterThan(0);
  });
});

describe('the demo through the real analyzer', () => {
  it.each([1, 42])('seed %i: the first sessions raise every incident kind the log can show', (seed) => {
    const { result } = analyzeLines(renderSessions(seed).flat());
    const kinds = new Set(result.incidents.map((i) => i.kind));
    expect([...kinds].sort()).toEqual([
      'context_near_limit',
      'context_shift',
      'context_truncated',
      'gpu_fallback',
      'mlx_failed',
      'mlx_fallback',
      'mlx_on_cpu',
      'mlx_unavailable',
      'mlx_working_set',
      'oom',
      'partial_offload',
      'runner_crash',
    ]);
    // The simulator writes Ollama's own formats: the analyzer understands practically every line.
    expect(result.unparsed).toBe(0);
  });
});
