// Server runs: one per `ollama serve` start. `server config` comes just before `Listening on`
// (and after it in no era), so either line begins a run unless it completes the one just begun.
import type { ListeningEvent, ServerEvent } from '../parse/events.js';
import { envTruthy } from '../parse/envMap.js';
import { epochMs } from '../parse/timestamps.js';
import { backendFamily, isGpuFamily } from './families.js';
import type { CorrelatedRecord } from './records.js';
import type { CorrelatorState, ServerState } from './state.js';

function startServer(st: CorrelatorState, at: string | null, endRun?: () => void): ServerState {
  endRun?.();
  const ts = at ? epochMs(at) : NaN;
  st.server = {
    run: {
      key: st.nextKey++,
      at,
      ts: Number.isFinite(ts) ? ts : null,
      version: null,
      address: null,
      config: {},
      devices: [],
      defaultCtx: null,
    },
    listened: false,
    gpu: null,
    mlxExpected: false,
    mlxUnavailable: st.mlxUnavailableBeforeStart,
  };
  st.loads = [];
  st.hiddenRunners = 0;
  st.pendingHints = [];
  st.pendingLibrary = null;
  st.raised = st.mlxUnavailableBeforeStart ? ['mlx_unavailable'] : [];
  st.mlxUnavailableBeforeStart = false;
  return st.server;
}

/** The current run, begun implicitly when a log slice starts after the server's start-up lines. */
export function currentServer(st: CorrelatorState): ServerState {
  return st.server ?? startServer(st, null);
}

/** A run whose start the log does not show (the slice began later) but whose devices it lists. */
const onlyDevices = (server: ServerState): boolean =>
  !server.listened && Object.keys(server.run.config).length === 0 && server.run.devices.length > 0;

function emit(server: ServerState, out: CorrelatedRecord[]): void {
  // A run known only implicitly (no start-up lines in the log) is a server record once it names a
  // device: its devices are facts worth keeping, its version stays unknown.
  if (server.listened || Object.keys(server.run.config).length > 0 || server.run.devices.length > 0) {
    // A copy: the run's device list keeps growing in the state after this record is stored.
    out.push({ kind: 'server', record: { ...server.run, devices: server.run.devices.map((d) => ({ ...d })) } });
  }
}

/** `endRun` settles what the previous run left open before its state is dropped. */
export function applyServerEvent(
  st: CorrelatorState,
  e: ServerEvent | ListeningEvent,
  at: string | null,
  out: CorrelatedRecord[],
  endRun: () => void,
): void {
  let server = st.server;
  switch (e.type) {
    case 'server_config':
      if (!server || server.listened || Object.keys(server.run.config).length > 0 || onlyDevices(server) || st.loads.length > 0)
        server = startServer(st, at, endRun);
      server.run.config = e.env;
      server.mlxExpected = envTruthy(e.env.OLLAMA_USE_MLX);
      break;
    case 'listening':
      // Completes the run its `server config` line began; anything else means a new process.
      // Devices are listed after `Listening on`: a run that shows only devices so far is an earlier process.
      if (!server || server.listened || Object.keys(server.run.config).length === 0) server = startServer(st, at, endRun);
      server.listened = true;
      server.run.address = e.address;
      server.run.version = e.version;
      if (at) {
        server.run.at = at;
        const ts = epochMs(at);
        server.run.ts = Number.isFinite(ts) ? ts : null;
      }
      break;
    case 'inference_compute': {
      server = currentServer(st);
      // A run first known from this line starts at it.
      if (server.run.at === null && !server.listened && server.run.devices.length === 0 && at) {
        server.run.at = at;
        const ts = epochMs(at);
        server.run.ts = Number.isFinite(ts) ? ts : null;
      }
      server.run.devices.push({ library: e.library, name: e.name, totalBytes: e.totalBytes });
      const family = backendFamily(e.library);
      if (family && (server.gpu === null || (!isGpuFamily(server.gpu) && isGpuFamily(family)))) server.gpu = family;
      break;
    }
    case 'default_ctx':
      server = currentServer(st);
      server.run.defaultCtx = e.numCtx;
      break;
  }
  emit(server, out);
}
