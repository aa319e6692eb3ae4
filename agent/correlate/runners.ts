// Which runners are loaded, and which one a request ran on. SPEC §5: a request is attributed only when
// the evidence is unambiguous — a single runner loaded, or runner-specific lines since the last
// inference request that point at exactly one runner. Otherwise model and backend stay null.
import type { Backend } from '../../shared/types.js';
import type { RunnerEvent } from '../parse/events.js';

export interface LoadedRunner {
  engine: 'mlx' | 'llama.cpp';
  model: string | null;
  backend: Backend | null;
}

export interface RunnerState {
  runners: LoadedRunner[];
  /** The GPU library from `inference compute` (metal, cuda, …), or cpu when that is all there is. */
  gpu: Backend | null;
  /** Evidence seen since the last inference request. */
  evidence: { engine: 'mlx' | 'llama.cpp'; model: string | null } | null;
}

export function initialRunnerState(): RunnerState {
  return { runners: [], gpu: null, evidence: null };
}

const LIBRARIES: Record<string, Backend> = { metal: 'metal', cuda: 'cuda', rocm: 'rocm', vulkan: 'vulkan', cpu: 'cpu' };

export function applyRunnerEvent(st: RunnerState, e: RunnerEvent): void {
  switch (e.type) {
    case 'gpu_library': {
      const lib = LIBRARIES[e.library.toLowerCase()] ?? null;
      if (lib && (st.gpu === null || st.gpu === 'cpu')) st.gpu = lib;
      return;
    }
    case 'runner_start':
      st.runners.push({ engine: e.engine, model: e.model, backend: null });
      return;
    case 'mlx_device': {
      const r = st.runners.findLast((x) => x.engine === 'mlx');
      if (r) r.backend = e.device === 'cpu' ? 'cpu' : 'mlx';
      return;
    }
    case 'offloaded': {
      const r = st.runners.findLast((x) => x.engine === 'llama.cpp');
      if (r) r.backend = e.gpuLayers === 0 ? 'cpu' : st.gpu;
      return;
    }
    case 'runner_stop': {
      // Without a pid we cannot tell which of several same-engine runners stopped: forget them all
      // rather than attribute later requests to the wrong one.
      st.runners = st.runners.filter((x) => x.engine !== e.engine);
      return;
    }
    case 'using_mlx':
      st.evidence = { engine: 'mlx', model: e.model };
      return;
    case 'llama_server_activity':
      st.evidence ??= { engine: 'llama.cpp', model: null };
      return;
  }
}

/** The runner an inference request ran on, if unambiguous; consumes the evidence. */
export function attributeRequest(st: RunnerState): { model: string | null; backend: Backend | null } {
  const ev = st.evidence;
  st.evidence = null;
  if (ev?.engine === 'mlx') {
    // The line names MLX as the backend; the runner (for the model, or a CPU device) only counts when
    // exactly one matches.
    const matching = st.runners.filter((x) => x.engine === 'mlx' && (ev.model === null || x.model === ev.model));
    const r = matching.length === 1 ? matching[0]! : null;
    return { model: ev.model ?? r?.model ?? null, backend: r?.backend ?? 'mlx' };
  }
  const candidates = ev ? st.runners.filter((x) => x.engine === ev.engine) : st.runners;
  if (candidates.length === 1) return { model: candidates[0]!.model, backend: candidates[0]!.backend };
  return { model: null, backend: null };
}
