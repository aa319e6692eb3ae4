// Turns the parsed events of one log source into domain records (docs/records.md). Deterministic and
// synchronous; its whole state is `CorrelatorState`, plain data, saved at its resume point with the rows it made.
// The same class serves `analyze` (replay) and the live agent.
import type { LineEvent } from '../parse/events.js';
import { epochMs, zoneOf } from '../parse/timestamps.js';
import { checkLoad, oom } from './loadIncidents.js';
import { emitLoad, failingLoad, applyLoadEvent } from './loadLifecycle.js';
import { blankLoad } from './loads.js';
import { DEFAULT_CORRELATOR_OPTIONS, mlxMatcher, type CorrelatorOptions } from './options.js';
import type { CorrelatedRecord } from './records.js';
import { dropEvidence, requestFromGin } from './requestRecords.js';
import { noteEvidence } from './requests.js';
import { applyServerEvent } from './servers.js';
import { emptyEvidence, initialCorrelatorState, type CorrelatorState } from './state.js';

export { initialCorrelatorState, type CorrelatorState } from './state.js';

/** Ends in `Z` or `±HH:MM` (checked by character: this runs for every timestamped line). */
function hasZone(at: string): boolean {
  const n = at.length;
  if (at.charCodeAt(n - 1) === 0x5a /* Z */) return true;
  const sign = at.charCodeAt(n - 6);
  return (sign === 0x2b || sign === 0x2d) && at.charCodeAt(n - 3) === 0x3a;
}

/** `at` ends in `zone`, which is what zoneOf(at) returns (`Z` or `±HH:MM`) when `at` has a zone. */
function endsWithZone(at: string, zone: string): boolean {
  const n = at.length;
  const z = zone.length;
  if (z === 1) return at.charCodeAt(n - 1) === 0x5a /* Z */ && zone === 'Z';
  return z === 6 && at.charCodeAt(n - 1) !== 0x5a && at.startsWith(zone, n - 6);
}

/** Events that can sit between a pre-start warning and the server start it belongs to. */
const START_UP = new Set<LineEvent['type']>(['mlx_unavailable', 'server_config', 'listening', 'clock', 'noise']);

export class Correlator {
  private readonly expectsMlx: (model: string | null) => boolean;
  /** The last time stamped and what it gave; derived from the state, so not part of it. */
  private readonly lastStamp = { at: '', zone: null as string | null, zoned: '' };

  constructor(
    public state: CorrelatorState = initialCorrelatorState(),
    private readonly opts: CorrelatorOptions = DEFAULT_CORRELATOR_OPTIONS,
  ) {
    this.expectsMlx = mlxMatcher(opts.expectMlx);
    // A resume point written by an older build lacks the fields added since: they start empty.
    state.loads = state.loads.map((l) => ({ ...blankLoad(l.key), ...l }));
  }

  /** A line's own time, given the log's zone when it printed none (Go-log lines); remembered as the clock. */
  private stamp(at: string | null): string | null {
    const st = this.state;
    if (at === null) return st.lastAt;
    // A burst of lines shares its timestamp (the parser hands out the same text): same answer.
    const last = this.lastStamp;
    if (at === last.at && st.zone === last.zone) {
      st.lastAt = last.zoned;
      return last.zoned;
    }
    let zoned = at;
    if (hasZone(at)) {
      // Nearly every line repeats the zone already known: no need to cut it out again.
      if (st.zone === null || !endsWithZone(at, st.zone)) st.zone = zoneOf(at) ?? st.zone;
    } else if (st.zone) zoned = at + st.zone;
    st.lastAt = zoned;
    last.at = at;
    last.zone = st.zone;
    last.zoned = zoned;
    return zoned;
  }

  /** Appends the records this event produces to `out`. */
  feed(event: LineEvent, out: CorrelatedRecord[]): void {
    const st = this.state;
    // Only a server start right after it inherits an `MLX … not available` line (see the state).
    if (st.mlxUnavailableBeforeStart && !START_UP.has(event.type)) st.mlxUnavailableBeforeStart = false;
    switch (event.type) {
      case 'noise':
        return;
      case 'clock':
        this.stamp(event.at);
        return;
      case 'gin':
        requestFromGin(st, event, this.opts, this.expectsMlx, out);
        return;
      case 'listening':
      case 'server_config':
      case 'inference_compute':
      case 'default_ctx':
        applyServerEvent(st, event, this.stamp(event.at), out, () => this.endRun(out));
        return;
      case 'using_mlx':
      case 'mlx_progress':
      case 'mlx_cache':
      case 'mlx_peak':
      case 'truncation':
      case 'context_shift': {
        const own = event.at !== null ? this.stamp(event.at) : null;
        // Only the first line of the evidence needs its time (to tell stale evidence from fresh).
        const ms = own !== null && st.evidence.firstMs === null ? epochMs(own) : NaN;
        noteEvidence(st.evidence, event, Number.isFinite(ms) ? ms : null);
        return;
      }
      case 'slot_prompt':
      case 'timing':
      case 'slot_release':
      case 'slot_activity':
        noteEvidence(st.evidence, event, null);
        return;
      case 'oom': {
        const at = this.stamp(event.at);
        oom(st, failingLoad(st), at, event.text, out);
        return;
      }
      default: {
        // A property read, not `in`: events come in many shapes and `at` is never undefined where present.
        const own = (event as { at?: string | null }).at;
        const at = own !== undefined ? this.stamp(own) : st.lastAt;
        applyLoadEvent(st, event, at, out);
      }
    }
  }

  /** The input ended (analyze) or the run ended: settle loads and evidence nobody took. */
  flush(out: CorrelatedRecord[]): void {
    this.endRun(out);
  }

  private endRun(out: CorrelatedRecord[]): void {
    const st = this.state;
    for (const load of st.loads) {
      if (!load.checked && load.engine !== 'mlx' && (load.kvFamilies.length > 0 || load.gpuLayers !== null)) {
        checkLoad(st, load, st.lastAt, out);
        emitLoad(st, load, out);
      }
    }
    dropEvidence(st, st.evidence, out);
    st.evidence = emptyEvidence();
  }
}
