// Turns parsed line events of one log source into domain records. Deterministic and synchronous;
// its whole state is `CorrelatorState`, plain data, so it can be checkpointed with the rows.
import type { LineEvent } from '../parse/events.js';
import { epochMs, zoneOf } from '../parse/timestamps.js';
import type { CorrelatedRecord } from './records.js';
import { pathWithoutQuery, requestKind } from './requestKind.js';
import { applyRunnerEvent, attributeRequest, initialRunnerState, type RunnerState } from './runners.js';

export interface CorrelatorState {
  /** UTC offset learnt from the latest zoned (slog) timestamp; gin prints local time without one. */
  zone: string | null;
  version: string | null;
  runner: RunnerState;
}

export function initialCorrelatorState(): CorrelatorState {
  return { zone: null, version: null, runner: initialRunnerState() };
}

export class Correlator {
  constructor(public state: CorrelatorState = initialCorrelatorState()) {}

  feed(event: LineEvent): CorrelatedRecord | null {
    switch (event.type) {
      case 'clock':
        this.state.zone = zoneOf(event.at) ?? this.state.zone;
        return null;
      case 'listening': {
        if (event.at) this.state.zone = zoneOf(event.at) ?? this.state.zone;
        this.state.version = event.version;
        // A new server process starts with no runners.
        this.state.runner = initialRunnerState();
        const ts = event.at ? epochMs(event.at) : null;
        return {
          kind: 'server',
          record: { at: event.at, ts: ts !== null && Number.isFinite(ts) ? ts : null, address: event.address, version: event.version },
        };
      }
      case 'gin': {
        const at = event.time.local + (this.state.zone ?? '');
        const kind = requestKind(event.path);
        const { model, backend } = kind === 'inference' ? attributeRequest(this.state.runner) : { model: null, backend: null };
        return {
          kind: 'request',
          record: {
            at,
            ts: epochMs(at),
            method: event.method,
            path: pathWithoutQuery(event.path),
            status: event.status,
            latencyMs: event.latencyMs,
            client: event.client,
            kind,
            model,
            backend,
            promptTokens: null,
            completionTokens: null,
            prefillTps: null,
            decodeTps: null,
            ctxUsed: null,
            ctxLimit: null,
            truncated: null,
          },
        };
      }
      default:
        if ('at' in event) this.state.zone = zoneOf(event.at) ?? this.state.zone;
        applyRunnerEvent(this.state.runner, event);
        return null;
    }
  }
}
