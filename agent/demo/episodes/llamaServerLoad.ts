// Loading a GGUF model through the upstream llama-server (era F): Ollama's own lines around the
// subprocess, and llama-server's pass-through output with its printf layouts (widths matter to
// parsers that read `offloaded X/Y layers` and `<dev> KV buffer size = N MiB`).
import { humanBytes2 } from '../goFormat.js';
import { fmtF, raw } from '../logLines.js';
import { blobPath, type DemoModel } from '../models.js';
import { markLoaded } from '../state.js';
import { ephemeralPort, log, usedBytes, WORKING_SET_BYTES, type Ctx, type Runner } from './context.js';
import { fit, fitLines, freeMiBFor, kvLines, place, sizes, speedOf, tensorLines, type Placement } from './offload.js';

const MiB = 1024 ** 2;
export const LLAMA_SERVER = '/Applications/Ollama.app/Contents/Resources/llama-server';

export interface LoadOptions {
  /** The request's `num_gpu`: Ollama passes `-ngl` only when it is set (0 = CPU only). */
  numGpu?: number;
  /**
   * Metal memory so short that llama-server's `--fit` keeps only this many layers on the GPU (the
   * story picks the outcome; the free-memory figures in the log follow from it).
   */
  fitLayers?: number;
}

function rawLine(ctx: Ctx, text: string): void {
  ctx.tl.line(raw(text));
}

/** Plans a llama-server load; the request that triggered it continues on the same timeline. */
export function loadLlamaServer(ctx: Ctx, model: DemoModel, numCtx: number, opts: LoadOptions = {}): Runner {
  const { rng, tl } = ctx;
  const port = ephemeralPort(rng);
  const blob = blobPath(model);
  const loadStart = tl.elapsedMs;
  const s = sizes(model, numCtx, rng);
  // Reading the weights dominates: about 5 GB/s from the SSD plus a fixed warm-up.
  const loadMs = 1400 + (model.sizeBytes / 5.2e9) * 1000 * rng.float(0.9, 1.15);

  log(ctx, 'INFO', 'server.go:109', 'using llama-server for model', [['model', blob]]);
  tl.advance(rng.int(1, 4));
  const ngl = opts.numGpu === undefined ? '' : `-ngl ${opts.numGpu} `;
  const cmd =
    `${LLAMA_SERVER} --model ${blob} --port ${port} --host 127.0.0.1 --no-webui --offline -c ${numCtx} -np 1 ` +
    `--log-verbosity 4 --no-log-prefix --no-log-timestamps --no-jinja --chat-template ${model.chatTemplate ?? 'llama3'} --flash-attn auto ` +
    `-b 512 -ub 512 ${ngl}--context-shift --keep 4`;
  log(ctx, 'INFO', 'llama_server.go:433', 'starting llama-server', [['cmd', cmd]]);
  const free = ctx.memBytes - usedBytes(ctx) - rng.int(4, 9) * 1024 ** 3;
  const gpuFree = opts.fitLayers === undefined ? free : freeMiBFor(model, s, opts.fitLayers, rng) * MiB;
  log(ctx, 'INFO', 'sched.go:613', 'system memory', [
    ['total', humanBytes2(ctx.memBytes)],
    ['free', humanBytes2(free)],
    ['free_swap', '0 B'],
  ]);
  log(ctx, 'INFO', 'sched.go:620', 'gpu memory', [
    ['id', '0'],
    ['library', 'Metal'],
    ['available', humanBytes2(gpuFree - 512 * MiB)],
    ['free', humanBytes2(gpuFree)],
    ['minimum', '512.0 MiB'],
    ['overhead', '0 B'],
  ]);
  log(ctx, 'INFO', 'llama_server.go:1048', 'loading model via llama-server', [['model', blob]]);
  log(ctx, 'INFO', 'llama_server.go:1295', 'waiting for llama-server to start responding');
  log(ctx, 'INFO', 'llama_server.go:1350', 'waiting for llama-server to become available', [['status', 'llm server not responding']]);
  tl.advance(rng.int(30, 90));
  // llama-server measures Metal against the working set, not against physical memory.
  const freeMiB = Math.floor(Math.min(gpuFree, WORKING_SET_BYTES) / MiB);
  rawLine(ctx, 'ggml_metal_device_init: GPU name:   Apple M3 Max');
  rawLine(ctx, 'ggml_metal_device_init: has unified memory    = true');
  rawLine(ctx, 'ggml_metal_device_init: recommendedMaxWorkingSetSize  = 77309.41 MB');
  rawLine(ctx, `srv    load_model: loading model '${blob}'`);
  let p: Placement;
  if (opts.numGpu === undefined) {
    p = fit(model, s, freeMiB);
    fitLines(ctx, model, s, p, freeMiB, numCtx);
  } else {
    // A layer count set by the user is not fitted (llama.cpp aborts its fit step and says so).
    p = place(model, s, Math.min(opts.numGpu, model.blockCount + 1));
  }
  tl.advance(rng.int(250, 500));
  log(ctx, 'INFO', 'llama_server.go:1350', 'waiting for llama-server to become available', [['status', 'llm server loading model']]);

  tl.begin(0).advance(loadMs * 0.55);
  rawLine(ctx, `llama_prepare_model_devices: using device MTL0 (Apple M3 Max) (unknown id) - ${freeMiB} MiB free`);
  rawLine(ctx, 'load_tensors: loading model tensors, this can take a while... (mmap = true, direct_io = false)');
  tensorLines(ctx, model, p);

  tl.begin(0).advance(loadMs * 0.45);
  rawLine(ctx, 'llama_context: constructing llama_context');
  rawLine(ctx, 'llama_context: n_seq_max     = 1');
  rawLine(ctx, `llama_context: n_ctx         = ${numCtx}`);
  rawLine(ctx, `llama_context: n_ctx_seq     = ${numCtx}`);
  rawLine(ctx, 'llama_context: n_batch       = 512');
  rawLine(ctx, 'llama_context: flash_attn    = auto');
  if (numCtx < model.contextLength) {
    rawLine(
      ctx,
      `llama_context: n_ctx_seq (${numCtx}) < n_ctx_train (${model.contextLength}) -- the full capacity of the model will not be utilized`,
    );
  }
  kvLines(ctx, model, p, numCtx);
  rawLine(ctx, 'sched_reserve: Flash Attention was auto, set to enabled');
  // Without GPU layers the whole graph is the CPU's; otherwise the CPU keeps a small staging buffer.
  if (p.gpuLayers > 0) rawLine(ctx, `sched_reserve: ${'MTL0'.padStart(10)} compute buffer size = ${fmtF(s.computeMiB, 8)} MiB`);
  rawLine(ctx, `sched_reserve: ${'CPU'.padStart(10)} compute buffer size = ${fmtF(p.gpuLayers > 0 ? 24.01 : s.computeMiB, 8)} MiB`);
  rawLine(ctx, 'srv    load_model: initializing slots, n_slots = 1');
  rawLine(ctx, `slot   load_model: id  0 | task -1 | new slot, n_ctx = ${numCtx}`);
  rawLine(ctx, 'srv  llama_server: model loaded');
  rawLine(ctx, `srv  llama_server: server is listening on http://127.0.0.1:${port}`);
  rawLine(ctx, 'srv  update_slots: all slots are idle');
  tl.advance(rng.int(2, 9));
  const seconds = (tl.elapsedMs - loadStart) / 1000;
  log(ctx, 'INFO', 'llama_server.go:1362', `llama-server started in ${seconds.toFixed(2)} seconds`);
  tl.advance(rng.int(60, 190));
  log(ctx, 'INFO', 'images.go:373', 'template selection', [
    ['model', `registry.ollama.ai/library/${model.name}`],
    ['selected', 'go_template'],
    ['renderer', ''],
    ['parser', ''],
    ['go_template', '[completion tools]'],
    ['chat_template', 'null'],
  ]);
  const sizeBytes = Math.round((s.weightsMiB + p.kvCpuMiB + p.kvGpuMiB + s.computeMiB) * MiB);
  const runner: Runner = {
    model,
    engine: 'llama-server',
    port,
    pid: rng.int(20000, 89999),
    ctx: numCtx,
    task: 0,
    cachedTokens: 0,
    // A full offload shows as 100% GPU (the embeddings in CPU_Mapped do not count against it).
    sizeBytes,
    vramBytes: p.gpuLayers === p.totalLayers ? sizeBytes : Math.round(p.deviceMiB * MiB),
    speed: speedOf(p),
  };
  ctx.runners.set(model.name, runner);
  log(ctx, 'INFO', 'sched.go:728', 'loaded runners', [['count', ctx.runners.size]]);
  // Real v0.30–v0.32 logs print the readiness check a second time once the runner is registered.
  log(ctx, 'INFO', 'llama_server.go:1295', 'waiting for llama-server to start responding');
  tl.advance(rng.int(1, 4));
  log(ctx, 'INFO', 'llama_server.go:1362', `llama-server started in ${((tl.elapsedMs - loadStart) / 1000).toFixed(2)} seconds`);
  tl.effect((state, at) => markLoaded(state, model, at, numCtx, runner.sizeBytes, runner.vramBytes));
  return runner;
}
