// Starting the MLX runner for a safetensors model: the scheduler's memory lines, the subprocess,
// its engine line (`device=gpu`, or `cpu` when MLX finds no usable Metal device), tensors, and the
// runner's warning when the weights alone exceed Metal's recommended working set.
import { humanBytes2, prettyBytes } from '../goFormat.js';
import type { DemoModel } from '../models.js';
import { beginPressure, markLoaded } from '../state.js';
import { ephemeralPort, log, usedBytes, WORKING_SET_BYTES, type Ctx, type Runner } from './context.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
/** Reading safetensors from the SSD. */
const READ_BYTES_PER_S = 6.5e9;
/** MLX's CPU backend against the M3 Max GPU: prefill is compute-bound, decode bandwidth-bound. */
const CPU_SPEED = { prefill: 0.06, decode: 0.12 };
/** Past the working set Metal pages wired memory in and out: slower, not broken. */
const PAGING_SPEED = { prefill: 0.72, decode: 0.58 };

export interface MlxLoadOptions {
  device?: 'gpu' | 'cpu';
  /** Context per sequence the runner starts with (the client's `num_ctx`); the model's whole window by default. */
  ctx?: number;
}

/** The scheduler's memory lines and the subprocess start; returns the runner's port. */
export function startMlxSubprocess(ctx: Ctx, model: DemoModel): number {
  const { rng } = ctx;
  const port = ephemeralPort(rng);
  const free = ctx.memBytes - usedBytes(ctx) - rng.int(4, 9) * GiB;
  log(ctx, 'INFO', 'sched.go:613', 'system memory', [
    ['total', humanBytes2(ctx.memBytes)],
    ['free', humanBytes2(free)],
    ['free_swap', '0 B'],
  ]);
  log(ctx, 'INFO', 'sched.go:620', 'gpu memory', [
    ['id', '0'],
    ['library', 'Metal'],
    ['available', humanBytes2(free - 512 * MiB)],
    ['free', humanBytes2(free)],
    ['minimum', '512.0 MiB'],
    ['overhead', '0 B'],
  ]);
  log(ctx, 'INFO', 'client.go:391', 'starting mlx runner subprocess', [
    ['model', model.name],
    ['port', port],
  ]);
  return port;
}

export function loadMlx(ctx: Ctx, model: DemoModel, opts: MlxLoadOptions = {}): Runner {
  const { rng, tl } = ctx;
  const device = opts.device ?? 'gpu';
  const port = startMlxSubprocess(ctx, model);
  // Weights that alone exceed Metal's working set push the whole Mac into memory pressure as they
  // are read in (the demo's memory probe follows it).
  if (device === 'gpu' && model.sizeBytes > WORKING_SET_BYTES) tl.effect((state, at) => beginPressure(state, at));
  tl.advance(rng.int(250, 520));
  log(ctx, 'INFO', 'server.go:44', 'MLX engine initialized', [
    ['MLX version', '0.30.6'],
    ['device', device],
  ]);
  tl.advance(rng.int(20, 60));
  log(ctx, 'INFO', 'base.go:122', 'Model architecture', [['arch', model.mlxArch ?? model.arch]]);
  // Reading the weights: a step of its own so the load visibly takes time.
  tl.begin(0).advance((model.sizeBytes / READ_BYTES_PER_S) * 1000 * rng.float(0.85, 1.2));
  log(ctx, 'INFO', 'runner.go:217', 'Loaded tensors from manifest', [['count', model.mlxTensorCount ?? 1029]]);
  // The runner sizes its wired memory from what the weights now occupy (configureWiredMemory);
  // there is no Metal working set to exceed on the CPU.
  const active = model.sizeBytes + rng.int(40, 160) * MiB;
  const pages = device === 'gpu' && active > WORKING_SET_BYTES;
  if (pages) {
    log(ctx, 'WARN', 'runner.go:155', 'MLX model exceeds the recommended working set; performance may be degraded', [
      ['active', prettyBytes(active)],
      ['recommended', prettyBytes(WORKING_SET_BYTES)],
    ]);
  }
  tl.advance(rng.int(400, 900));
  log(ctx, 'INFO', 'runner.go:252', 'Starting HTTP server', [
    ['host', '127.0.0.1'],
    ['port', port],
  ]);
  tl.advance(rng.int(40, 120));
  log(ctx, 'INFO', 'client.go:106', 'mlx runner is ready', [['port', port]]);
  const sizeBytes = model.sizeBytes + Math.round(1.1 * GiB);
  const runner: Runner = {
    model,
    engine: 'mlx',
    port,
    pid: rng.int(20000, 89999),
    ctx: opts.ctx ?? model.contextLength,
    task: 0,
    cachedTokens: 0,
    // The MLX client reports one live-memory figure as both size and size_vram, CPU device or not.
    sizeBytes,
    vramBytes: sizeBytes,
    speed: device === 'cpu' ? CPU_SPEED : pages ? PAGING_SPEED : { prefill: 1, decode: 1 },
  };
  ctx.runners.set(model.name, runner);
  log(ctx, 'INFO', 'sched.go:728', 'loaded runners', [['count', ctx.runners.size]]);
  tl.effect((state, at) => markLoaded(state, model, at, runner.ctx, runner.sizeBytes, runner.vramBytes));
  return runner;
}
