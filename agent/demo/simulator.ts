// The I/O edge of the demo: writes the scenario into `<dir>/server.log` at a human pace, stamped
// with the wall clock so rows look live, rotating files on server start like Ollama's desktop app.
import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOffset } from './goFormat.js';
import { mulberry32, type Rng } from './rng.js';
import { planScenario } from './scenario.js';
import type { DemoState } from './state.js';
import { sendThroughProxy, type ProxyBridge } from './proxyClient.js';
import type { Session } from './sessions/kit.js';
import { Renderer } from './timeline.js';

export interface SimulatorOptions {
  dir: string;
  /** Time compression: 10 writes ten times faster. */
  speed?: number;
  seed?: number;
  now?: () => Date;
  /**
   * Rotate on every Nth server start (the scenario restarts the server about every 60–70 steps).
   * 1 = every start, as Ollama's app does; 0 = never (restarts append to the same file).
   */
  rotateEvery?: number;
  /** Timezone offset of the stamps (`+01:00`, `Z`); the local zone when absent. */
  offset?: string;
  /** Kept in step with the lines written (what the fake API reports as loaded). */
  state?: DemoState;
  /** Probability that a step is written in two chunks, cut inside a line. */
  splitChance?: number;
  onError?: (err: unknown) => void;
  /** Sends every other MLX chat turn through the agent's proxy (at speed 1 only: the latencies must be real). */
  proxy?: { url: string; bridge: ProxyBridge };
  /** A session told once before the scenario's own, `speedUp` times faster than `speed` (the demo's first minute). */
  intro?: { session: Session; speedUp: number };
}

export interface Simulator {
  logPath: string;
  stop(): Promise<void>;
}

/** Ollama's app keeps server.log plus server-1.log … server-5.log. */
const MAX_ROTATED = 5;

export function startSimulator(opts: SimulatorOptions): Simulator {
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const seed = opts.seed ?? 1;
  const now = opts.now ?? (() => new Date());
  const rotateEvery = Math.max(0, Math.floor(opts.rotateEvery ?? 1));
  const splitChance = opts.splitChance ?? 0.08;
  const onError = opts.onError ?? ((err: unknown) => console.error(`demo simulator stopped: ${String(err)}`));
  const logPath = join(opts.dir, 'server.log');
  // A separate stream for write chunking, so how bytes are split never changes the story.
  const chunkRng = mulberry32(seed ^ 0x5bd1e995);
  const renderer = new Renderer({ offsetMinutes: parseOffset(opts.offset) }, opts.state, now(), 1 / speed);

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopped) return resolve();
      wake = resolve;
      timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
    });

  const loop = (async () => {
    await mkdir(opts.dir, { recursive: true });
    let starts = 0;
    let proxied = 0;
    const intro = opts.intro;
    let pace = speed * (intro?.speedUp ?? 1);
    renderer.timeScale = 1 / pace;
    for (const plan of planScenario(mulberry32(seed), undefined, intro?.session)) {
      // The intro ends where the next session starts: from here on the scenario's own pace.
      if (intro && plan.serverStart && starts === 1) {
        pace = speed;
        renderer.timeScale = 1 / pace;
      }
      const via = plan.proxied;
      const lead = via ? via.latencyMs / pace : 0;
      // A long turn's access line is a step of its own, whose delay may be a little shorter than the
      // latency: the proxy's merge allows 1.5 s, so up to 1 s short is still the same request.
      if (opts.proxy && via && !plan.serverStart && pace === 1 && plan.delayMs >= lead - 1000 && proxied++ % 2 === 0) {
        // Open the request the access line's latency before the line is written.
        const id = `r${proxied}`;
        await sleep(Math.max(0, plan.delayMs - lead));
        if (stopped) return;
        void sendThroughProxy(opts.proxy.url, id, via);
        await sleep(lead);
        if (stopped) return opts.proxy.bridge.release(id, null);
        await writeLines(logPath, renderer.render(plan, now()), chunkRng, splitChance);
        opts.proxy.bridge.release(id, {
          promptTokens: via.promptTokens,
          evalCount: via.evalCount,
          promptMs: via.promptMs,
          evalMs: via.evalMs,
        });
        continue;
      }
      await sleep(plan.delayMs / pace);
      if (stopped) return;
      if (plan.serverStart) {
        starts++;
        // The app rotates on the first start too, if an older log is there.
        const due = rotateEvery > 0 && (starts === 1 ? await exists(logPath) : (starts - 1) % rotateEvery === 0);
        if (due) await rotate(opts.dir);
      }
      await writeLines(logPath, renderer.render(plan, now()), chunkRng, splitChance);
    }
  })().catch((err: unknown) => {
    if (!stopped) onError(err);
  });

  return {
    logPath,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      opts.proxy?.bridge.releaseAll();
      // A write in progress (even one cut in two) completes, so the file ends with a whole line.
      await loop;
    },
  };
}

async function writeLines(path: string, lines: string[], rng: Rng, splitChance: number): Promise<void> {
  if (lines.length === 0) return;
  const text = lines.join('\n') + '\n';
  if (!rng.chance(splitChance)) return appendFile(path, text);
  // Cut inside a line, never at its end, so a tailer sees a genuinely partial last line.
  const index = rng.int(0, lines.length - 1);
  const before = lines.slice(0, index).join('\n').length + (index > 0 ? 1 : 0);
  const lineLength = lines[index]!.length;
  const cut = before + rng.int(1, Math.max(1, lineLength - 1));
  await appendFile(path, text.slice(0, cut));
  await new Promise((resolve) => setTimeout(resolve, rng.int(2, 8)));
  await appendFile(path, text.slice(cut));
}

/** `server-4.log`→`server-5.log` … `server.log`→`server-1.log`; the oldest falls off. */
export async function rotate(dir: string): Promise<void> {
  await rm(join(dir, `server-${MAX_ROTATED}.log`), { force: true });
  for (let i = MAX_ROTATED - 1; i >= 1; i--) {
    const from = join(dir, `server-${i}.log`);
    if (await exists(from)) await rename(from, join(dir, `server-${i + 1}.log`));
  }
  const current = join(dir, 'server.log');
  if (await exists(current)) await rename(current, join(dir, 'server-1.log'));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
