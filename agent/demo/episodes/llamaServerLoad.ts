// Loading a GGUF model through the upstream llama-server (era F): Ollama's own lines around the
// subprocess, and llama-server's pass-through output with its printf layouts (widths matter to
// parsers that read `offloaded X/Y layers` and `<dev> KV buffer size = N MiB`).
import { humanBytes2 } from '../goFormat.js';
import { raw } from '../logLines.js';
import { blobPath, kvBytes, type DemoModel } from '../models.js';
import { markLoaded } from '../state.js';
import { ephemeralPort, log, usedBytes, type Ctx, type Runner } from './context.js';

const MiB = 1024 ** 2;
export const LLAMA_SERVER = '/Applications/Ollama.app/Contents/Resources/llama-server';

/** printf `%W.Pf` and `%Wd`. */
export const fmtF = (x: number, width: number, prec = 2): string => x.toFixed(prec).padStart(width);
export const fmtD = (x: number, width: number): string => String(Math.round(x)).padStart(width);

function rawLine(ctx: Ctx, text: string): void {
  ctx.tl.line(raw(text));
}

/** Plans a llama-server load; the request that triggered it continues on the same timeline. */
export function loadLlamaServer(ctx: Ctx, model: DemoModel, numCtx: number): Runner {
  const { rng, tl } = ctx;
  const port = ephemeralPort(rng);
  const blob = blobPath(model);
  const loadStart = tl.elapsedMs;
  const weightsMiB = model.sizeBytes / MiB;
  const kvMiB = kvBytes(model, numCtx) / MiB;
  const computeMiB = (model.embeddingLength / 4096) * 150 + (numCtx / 8192) * 150 + rng.int(0, 8) * 0.5;
  // Reading the weights dominates: about 5 GB/s from the SSD plus a fixed warm-up.
  const loadMs = 1400 + (model.sizeBytes / 5.2e9) * 1000 * rng.float(0.9, 1.15);

  log(ctx, 'INFO', 'server.go:109', 'using llama-server for model', [['model', blob]]);
  tl.advance(rng.int(1, 4));
  const cmd =
    `${LLAMA_SERVER} --model ${blob} --port ${port} --host 127.0.0.1 --no-webui --offline -c ${numCtx} -np 1 ` +
    '--log-verbosity 4 --no-log-prefix --no-log-timestamps --no-jinja --chat-template llama3 --flash-attn auto ' +
    '-b 512 -ub 512 --context-shift --keep 4';
  log(ctx, 'INFO', 'llama_server.go:433', 'starting llama-server', [['cmd', cmd]]);
  const free = ctx.memBytes - usedBytes(ctx) - rng.int(4, 9) * 1024 ** 3;
  log(ctx, 'INFO', 'sched.go:613', 'system memory', [['total', humanBytes2(ctx.memBytes)], ['free', humanBytes2(free)], ['free_swap', '0 B']]);
  log(ctx, 'INFO', 'sched.go:620', 'gpu memory', [
    ['id', '0'], ['library', 'Metal'], ['available', humanBytes2(free - 512 * MiB)], ['free', humanBytes2(free)],
    ['minimum', '512.0 MiB'], ['overhead', '0 B'],
  ]);
  log(ctx, 'INFO', 'llama_server.go:1048', 'loading model via llama-server', [['model', blob]]);
  log(ctx, 'INFO', 'llama_server.go:1295', 'waiting for llama-server to start responding');
  log(ctx, 'INFO', 'llama_server.go:1350', 'waiting for llama-server to become available', [['status', 'llm server not responding']]);
  tl.advance(rng.int(30, 90));
  const freeMiB = Math.floor(free / MiB);
  rawLine(ctx, 'ggml_metal_device_init: GPU name:   Apple M3 Max');
  rawLine(ctx, 'ggml_metal_device_init: has unified memory    = true');
  rawLine(ctx, 'ggml_metal_device_init: recommendedMaxWorkingSetSize  = 77309.41 MB');
  rawLine(ctx, `srv    load_model: loading model '${blob}'`);
  tl.advance(rng.int(250, 500));
  log(ctx, 'INFO', 'llama_server.go:1350', 'waiting for llama-server to become available', [['status', 'llm server loading model']]);

  tl.begin(0).advance(loadMs * 0.55);
  rawLine(ctx, `llama_prepare_model_devices: using device MTL0 (Apple M3 Max) (unknown id) - ${freeMiB} MiB free`);
  rawLine(ctx, 'load_tensors: loading model tensors, this can take a while... (mmap = true, direct_io = false)');
  rawLine(ctx, 'load_tensors: offloading output layer to GPU');
  rawLine(ctx, `load_tensors: offloading ${model.blockCount} repeating layers to GPU`);
  rawLine(ctx, `load_tensors: offloaded ${model.blockCount + 1}/${model.blockCount + 1} layers to GPU`);
  rawLine(ctx, `load_tensors: ${'CPU_Mapped'.padStart(12)} model buffer size = ${fmtF(model.cpuMappedMiB, 8)} MiB`);
  rawLine(ctx, `load_tensors: ${'MTL0_Mapped'.padStart(12)} model buffer size = ${fmtF(weightsMiB - model.cpuMappedMiB, 8)} MiB`);

  tl.begin(0).advance(loadMs * 0.45);
  rawLine(ctx, 'llama_context: constructing llama_context');
  rawLine(ctx, 'llama_context: n_seq_max     = 1');
  rawLine(ctx, `llama_context: n_ctx         = ${numCtx}`);
  rawLine(ctx, `llama_context: n_ctx_seq     = ${numCtx}`);
  rawLine(ctx, 'llama_context: n_batch       = 512');
  rawLine(ctx, 'llama_context: flash_attn    = auto');
  if (numCtx < model.contextLength) {
    rawLine(ctx, `llama_context: n_ctx_seq (${numCtx}) < n_ctx_train (${model.contextLength}) -- the full capacity of the model will not be utilized`);
  }
  rawLine(ctx, `llama_kv_cache: ${'MTL0'.padStart(10)} KV buffer size = ${fmtF(kvMiB, 8)} MiB`);
  rawLine(
    ctx,
    `llama_kv_cache: size = ${fmtF(kvMiB, 7)} MiB (${fmtD(numCtx, 6)} cells, ${fmtD(model.blockCount, 3)} layers,  1/1 seqs), ` +
      `K (f16): ${fmtF(kvMiB / 2, 7)} MiB, V (f16): ${fmtF(kvMiB / 2, 7)} MiB`,
  );
  rawLine(ctx, 'sched_reserve: Flash Attention was auto, set to enabled');
  rawLine(ctx, `sched_reserve: ${'MTL0'.padStart(10)} compute buffer size = ${fmtF(computeMiB, 8)} MiB`);
  rawLine(ctx, `sched_reserve: ${'CPU'.padStart(10)} compute buffer size = ${fmtF(24.01, 8)} MiB`);
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
    ['model', `registry.ollama.ai/library/${model.name}`], ['selected', 'go_template'], ['renderer', ''], ['parser', ''],
    ['go_template', '[completion tools]'], ['chat_template', 'null'],
  ]);
  const runner: Runner = {
    model, engine: 'llama-server', port, pid: rng.int(20000, 89999), ctx: numCtx, task: 0, cachedTokens: 0,
    sizeBytes: Math.round((weightsMiB + kvMiB + computeMiB) * MiB),
  };
  ctx.runners.set(model.name, runner);
  log(ctx, 'INFO', 'sched.go:728', 'loaded runners', [['count', ctx.runners.size]]);
  // Real v0.30–v0.32 logs print the readiness check a second time once the runner is registered.
  log(ctx, 'INFO', 'llama_server.go:1295', 'waiting for llama-server to start responding');
  tl.advance(rng.int(1, 4));
  log(ctx, 'INFO', 'llama_server.go:1362', `llama-server started in ${((tl.elapsedMs - loadStart) / 1000).toFixed(2)} seconds`);
  tl.effect((state, at) => markLoaded(state, model, at, numCtx, runner.sizeBytes));
  return runner;
}
