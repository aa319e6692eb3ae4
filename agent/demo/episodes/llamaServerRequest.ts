// One request on a llama-server runner: Ollama's pre-truncation warning when the prompt exceeds
// the window, llama-server's slot lines (prompt size, cache reuse, progress, a context shift when
// a generation runs out of room, final timings), the access line; or, for the crash episode, a
// Metal out-of-memory abort mid-prefill and a 500.
import { fmtD, fmtF, raw } from '../logLines.js';
import { blobPath, type DemoModel } from '../models.js';
import { touch, unloadAll } from '../state.js';
import { access, clientAddress, gap, log, type Conversation, type Ctx, type Runner } from './context.js';
import { loadLlamaServer, type LoadOptions } from './llamaServerLoad.js';
import { contextShifts, KEEP, shiftLine, slot, timingLines } from './slotLines.js';

export interface LlamaRequest {
  model: DemoModel;
  numCtx: number;
  path: string;
  conversation: Conversation;
  userTokens: number;
  genTokens: number;
  /** Abort with a Metal OOM during prefill. */
  crash?: boolean;
  /** How the runner is started if the model is not loaded yet. */
  load?: LoadOptions;
}

const METAL_OOM = 'error: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)';

export function llamaRequest(ctx: Ctx, req: LlamaRequest): void {
  const { rng, tl } = ctx;
  tl.begin(gap(ctx));
  const start = tl.elapsedMs;
  const client = clientAddress(rng);
  const r = ctx.runners.get(req.model.name) ?? loadLlamaServer(ctx, req.model, req.numCtx, req.load);
  const conv = req.conversation;
  const follows = conv.promptTokens > 0 && r.cachedTokens > 0;
  let prompt = conv.promptTokens > 0 ? conv.promptTokens + conv.genTokens + req.userTokens : req.userTokens;
  let truncated = false;
  tl.advance(rng.int(10, 45));
  if (prompt > r.ctx) {
    // Ollama (llm/llama_server.go) keeps num_ctx - max((num_ctx-keep)/2, 1) tokens before sending.
    const limit = r.ctx - Math.max(Math.floor((r.ctx - KEEP) / 2), 1);
    log(ctx, 'WARN', 'llama_server.go:317', 'truncating input prompt', [
      ['limit', limit],
      ['prompt', prompt],
      ['keep', KEEP],
      ['new', limit],
    ]);
    prompt = limit;
    truncated = true;
  }
  // After truncation only the kept head still matches the slot's cache.
  const cached = truncated ? KEEP : follows ? Math.min(prompt - 1, conv.promptTokens + conv.genTokens - rng.int(3, 12)) : 0;
  const task = r.task;
  const sim = cached / prompt;
  if (r.cachedTokens === 0) {
    tl.line(raw(slot(-1, 'selected slot by LRU, t_last = -1', 'get_availabl')));
  } else if (sim <= 0.1) {
    // Below llama-server's similarity threshold it falls back to the least recently used slot.
    tl.line(raw(slot(-1, `selected slot by LRU, t_last = ${rng.int(1e9, 9e9)}`, 'get_availabl')));
  } else {
    const fKeep = Math.min(1, cached / r.cachedTokens);
    tl.line(
      raw(
        slot(
          -1,
          `selected slot by LCP similarity, sim_best = ${sim.toFixed(3)} (> 0.100 thold), f_keep = ${fKeep.toFixed(3)}`,
          'get_availabl',
        ),
      ),
    );
  }
  tl.line(raw(slot(task, 'processing task, is_child = 0', 'launch_slot_')));
  tl.line(raw(slot(task, `new prompt, n_ctx_slot = ${r.ctx}, n_keep = ${KEEP}, task.n_tokens = ${prompt}`, 'update_slots')));
  tl.line(raw(slot(task, `cached n_tokens = ${cached}, memory_seq_rm [${cached}, end)`, 'update_slots')));

  const processed = prompt - cached;
  const prefillTps = req.model.prefillTps * r.speed.prefill * rng.float(0.9, 1.08) * (processed < 64 ? 0.35 : 1);
  const prefillMs = (processed / prefillTps) * 1000;
  const decodeTps = req.model.decodeTps * r.speed.decode * rng.float(0.93, 1.05) * (prompt > 4096 ? 0.9 : 1);
  const decodeMs = (req.genTokens / decodeTps) * 1000;

  // llama-server reports prefill progress every 3 s of a long prefill; each is a step of its own.
  let shown = 0;
  for (let t = 3000; t < prefillMs; t += 3000) {
    tl.begin(0).advance(t - shown);
    shown = t;
    const n = Math.min(processed - 1, Math.floor((t / 1000) * prefillTps));
    tl.line(
      raw(
        slot(
          task,
          `prompt processing, n_tokens = ${fmtD(n, 6)}, progress = ${((cached + n) / prompt).toFixed(2)}, t = ${fmtF(t / 1000, 6)} s / ${(n / (t / 1000)).toFixed(2)} tokens per second`,
          'print_timing',
        ),
      ),
    );
    if (req.crash) return crash(ctx, r, start, req.path, client);
  }
  if (req.crash) {
    tl.begin(0).advance(Math.min(prefillMs, 2500) - shown);
    return crash(ctx, r, start, req.path, client);
  }
  if (prefillMs + decodeMs > 2500) tl.begin(0);
  tl.advance(prefillMs - shown);
  tl.line(
    raw(
      slot(
        task,
        `init sampler, took 0.${rng.int(4, 14).toString().padStart(2, '0')} ms, tokens: text = ${prompt}, total = ${prompt}`,
        'init_sampler',
      ),
    ),
  );
  // Decode progress every 3 s once at least 100 tokens are out, each a step of its own; a context
  // shift is logged the moment the slot runs out of room.
  const g = req.genTokens;
  const shifts = contextShifts(prompt, g, r.ctx, req.model.addBos ?? false);
  const events: Array<{ atMs: number; line: string; newStep: boolean }> = [];
  for (let t = 3000; t < decodeMs; t += 3000) {
    const n = Math.floor((t / 1000) * decodeTps);
    if (n < 100) continue;
    events.push({
      atMs: t,
      newStep: true,
      line: slot(
        task,
        `n_gen = ${fmtD(n, 6)}, tg = ${fmtF(decodeTps, 6)} t/s, tg_3s = ${fmtF(decodeTps * rng.float(0.97, 1.03), 6)} t/s`,
        'print_timing',
      ),
    });
  }
  for (const sh of shifts) events.push({ atMs: (sh.atToken / decodeTps) * 1000, newStep: false, line: shiftLine(task, sh) });
  events.sort((a, b) => a.atMs - b.atMs);
  let decoded = 0;
  for (const e of events) {
    if (e.newStep) tl.begin(0);
    tl.advance(e.atMs - decoded);
    decoded = e.atMs;
    tl.line(raw(e.line));
  }
  tl.advance(decodeMs - decoded);
  for (const text of timingLines(task, processed, prefillMs, g, decodeMs)) tl.line(raw(text));
  const dropped = shifts.reduce((sum, sh) => sum + sh.nDiscard, 0);
  // A shift marks the slot truncated, as upstream does.
  tl.line(raw(slot(task, `stop processing: n_tokens = ${prompt + g - 1 - dropped}, truncated = ${shifts.length > 0 ? 1 : 0}`, 'release')));
  tl.line(raw('srv  update_slots: all slots are idle'));
  tl.advance(rng.int(2, 12));
  access(ctx, 200, start, 'POST', req.path, client);
  tl.effect((state, at) => touch(state, req.model.name, at));
  r.task = task + g + 1;
  r.cachedTokens = prompt + g - dropped;
  conv.promptTokens = prompt;
  conv.genTokens = g;
}

function crash(ctx: Ctx, r: Runner, start: number, path: string, client: string): void {
  const { rng, tl } = ctx;
  tl.advance(rng.int(80, 400));
  tl.line(raw('ggml_metal_synchronize: error: command buffer 0 failed with status 5'));
  tl.line(raw(METAL_OOM));
  tl.line(raw(`ggml-metal-context.m:${rng.int(230, 260)}: fatal error`));
  tl.advance(rng.int(20, 90));
  // Era F names llama-server here (v0.32.5: `error="exit status 1" exit=1` after a failed load).
  // Status 2 is what the product brief asks for; Go would report a C++ process that abort()ed as
  // `error="signal: abort trap" exit=-1` (exit 2 is a Go runner's SIGABRT, as in eras D–E).
  log(ctx, 'ERROR', 'llama_server.go:1023', 'llama-server terminated', [
    ['error', 'exit status 2'],
    ['exit', 2],
  ]);
  tl.advance(rng.int(1, 5));
  log(ctx, 'WARN', 'sched.go:1648', 'runtime OOM detected; expiring loaded models to clear memory before next request', [
    ['model', blobPath(r.model)],
    [
      'error',
      `model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details: ${METAL_OOM}`,
    ],
  ]);
  for (const other of ctx.runners.values()) {
    if (other.engine === 'mlx') log(ctx, 'INFO', 'client.go:142', 'stopping mlx runner subprocess', [['pid', other.pid]]);
  }
  ctx.runners.clear();
  tl.advance(rng.int(1, 4));
  access(ctx, 500, start, 'POST', path, client);
  tl.effect((state) => unloadAll(state));
}
