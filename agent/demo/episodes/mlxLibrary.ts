// A missing MLX dynamic library, as after an app update that shipped without `libmlxc`: the warning
// every Ollama process linking MLX prints from package init (before slog's handler exists, hence
// Go's `log` format), and an MLX request that then fails because its runner cannot start.
import { goLog, raw } from '../logLines.js';
import type { DemoModel } from '../models.js';
import { access, clientAddress, gap, log, type Ctx } from './context.js';
import { startMlxSubprocess } from './mlxLoad.js';

const LIBRARY_ERROR = 'failed to load MLX dynamic library (searched: [/Applications/Ollama.app/Contents/Resources])';

/** The first line of `ollama serve` (and of each runner child) when the library is missing. */
export function mlxLibraryWarning(ctx: Ctx): void {
  ctx.tl.line(goLog('WARN', 'MLX dynamic library not available', [['error', LIBRARY_ERROR]]));
}

/**
 * The runner child warns, fails `mlx.CheckInit()` and exits 1; the client reports its last
 * stderr line with the exit status (`mlx runner failed: %s (exit: %v)`) and the scheduler logs
 * it with the llama-server wording it uses for every runner. No runner, so no `using mlx backend`.
 */
export function mlxLoadFails(ctx: Ctx, req: { model: DemoModel; path?: string }): void {
  const { rng, tl } = ctx;
  tl.begin(gap(ctx));
  const start = tl.elapsedMs;
  const client = clientAddress(rng);
  tl.advance(rng.int(8, 40));
  startMlxSubprocess(ctx, req.model);
  tl.advance(rng.int(40, 120));
  mlxLibraryWarning(ctx);
  const stderr = `Error: MLX not available: ${LIBRARY_ERROR}`;
  tl.line(raw(stderr));
  // The client polls the child every 100 ms and sees it gone on the next tick.
  tl.advance(rng.int(60, 180));
  log(ctx, 'ERROR', 'sched.go:734', 'error loading llama server', [['error', `mlx runner failed: ${stderr} (exit: exit status 1)`]]);
  tl.advance(rng.int(1, 4));
  access(ctx, 500, start, 'POST', req.path ?? '/api/chat', client);
}
