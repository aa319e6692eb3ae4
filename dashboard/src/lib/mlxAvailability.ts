// The one answer to "can MLX run here, and does it?": the header's MLX pill reads it, and it is
// derived from the same firing alerts the banners show, so the pill cannot say "MLX eligible" while
// an alert says MLX is not available. The machine (Apple Silicon, ≥ 32 GiB) says whether MLX may
// run; the log (through the agent's alerts) says whether it did.
import type { AlertRecord } from '../../../shared/alerts.js';
import type { MachineInfo } from '../../../shared/memory.js';
import type { IncidentKind } from '../../../shared/records.js';
import { formatBytesShort } from './format.js';
import type { StatusView, Tone } from './statusView.js';

const GiB = 1024 ** 3;

/** Ollama's MLX engine needs Apple Silicon and at least this much memory. */
export const MLX_MIN_MEMORY_BYTES = 32 * GiB;

const MLX_RULE = "Ollama's MLX engine runs on Apple Silicon Macs with at least 32 GiB of memory.";

/**
 * What the log says about MLX, worst first: the library did not load (no model can use MLX), a
 * runner failed, a model ran elsewhere although MLX was expected, MLX ran on the CPU.
 */
const MLX_ALERTS = ['mlx_unavailable', 'mlx_failed', 'mlx_fallback', 'mlx_on_cpu'] as const satisfies readonly IncidentKind[];
type MlxAlertKind = (typeof MLX_ALERTS)[number];

/** The pill's words for each, after "MLX unavailable: " or "MLX eligible · ". */
const PROBLEM: Record<MlxAlertKind, string> = {
  mlx_unavailable: 'library not loaded',
  mlx_failed: 'runner failed',
  mlx_fallback: 'fell back',
  mlx_on_cpu: 'on CPU',
};

export type MlxState =
  /** The machine is not read yet, or its memory is unknown. */
  | 'unknown'
  /** The machine cannot run MLX (not Apple Silicon, under 32 GiB). */
  | 'ineligible'
  /** Eligible, and no MLX alert fires. */
  | 'eligible'
  /** Eligible, but a model did not get MLX (a fallback, a failed runner, MLX on the CPU). */
  | 'degraded'
  /** The log says MLX cannot be used at all (its library did not load), whatever the hardware. */
  | 'unavailable';

export interface MlxAvailability {
  /** What the hardware allows; null when the machine or its memory is not known yet. */
  eligible: boolean | null;
  state: MlxState;
  /** The firing MLX alerts this state accounts for, worst first. */
  alerts: readonly AlertRecord[];
  view: StatusView;
}

function isMlxAlert(alert: AlertRecord): boolean {
  return alert.state === 'firing' && (MLX_ALERTS as readonly IncidentKind[]).includes(alert.kind);
}

function rank(alert: AlertRecord): number {
  return MLX_ALERTS.indexOf(alert.kind as MlxAlertKind);
}

/** One tooltip line per alert: its title and the newest evidence from the log. */
function alertLines(alerts: readonly AlertRecord[]): string[] {
  return alerts.map((a) => {
    const evidence = a.evidence.at(-1);
    return evidence === undefined ? a.title : `${a.title} (${evidence})`;
  });
}

function hardware(machine: MachineInfo | null): { eligible: boolean | null; text: string; title: string } {
  if (machine === null) return { eligible: null, text: 'MLX: unknown', title: `Machine not read yet. ${MLX_RULE}` };
  if (!machine.appleSilicon) return { eligible: false, text: 'MLX: not Apple Silicon', title: MLX_RULE };
  if (machine.memoryBytes === null) return { eligible: null, text: 'MLX: memory unknown', title: MLX_RULE };
  if (machine.memoryBytes < MLX_MIN_MEMORY_BYTES) {
    return { eligible: false, text: 'MLX: under 32 GiB', title: `${formatBytesShort(machine.memoryBytes)} of memory. ${MLX_RULE}` };
  }
  return { eligible: true, text: 'MLX eligible', title: MLX_RULE };
}

/**
 * "MLX eligible"; "MLX eligible · fell back" (or "· runner failed", "· on CPU") while such an
 * alert fires; "MLX unavailable: library not loaded" while `mlx_unavailable` fires, even on an
 * eligible machine; else why the machine cannot run it ("MLX: under 32 GiB"). `alerts` is the
 * alert list the banners show (resolved ones are ignored).
 */
export function mlxAvailability(machine: MachineInfo | null, alerts: readonly AlertRecord[]): MlxAvailability {
  const hw = hardware(machine);
  const firing = alerts.filter(isMlxAlert).sort((a, b) => rank(a) - rank(b));
  const worst = firing[0]?.kind as MlxAlertKind | undefined;
  const title = [...alertLines(firing), hw.title].join('\n');
  const result = (state: MlxState, tone: Tone, icon: string, text: string): MlxAvailability => ({
    eligible: hw.eligible,
    state,
    alerts: firing,
    view: { tone, icon, text, title },
  });

  if (worst === 'mlx_unavailable') return result('unavailable', 'warn', '✕', `MLX unavailable: ${PROBLEM[worst]}`);
  if (hw.eligible === false) return result('ineligible', 'neutral', '✕', hw.text);
  if (hw.eligible === null) return result('unknown', 'neutral', '?', hw.text);
  if (worst !== undefined) {
    // U+FE0E asks for the text (not emoji) presentation of the warning sign.
    return result('degraded', worst === 'mlx_failed' ? 'error' : 'warn', '⚠\uFE0E', `${hw.text} · ${PROBLEM[worst]}`);
  }
  return result('eligible', 'ok', '✓', hw.text);
}
