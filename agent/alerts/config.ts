// The alert engine's knobs and their defaults. Every threshold lives here so the rules, the engine and
// the tests agree on one number, and the config schema can expose any of them without touching logic.
import type { IncidentKind } from '../../shared/records.js';

export interface AlertRulesConfig {
  /** Memory pressure must stay warn/critical this long before it fires: a compile or a model load spikes briefly. */
  pressureSustainMs: number;
  /** …and normal this long before it resolves (hysteresis: pressure oscillates around a threshold). */
  pressureClearMs: number;
  /**
   * Memory samples further apart than this break a pressure run (the Mac slept, the agent stalled): two
   * elevated samples an hour apart are not an hour of pressure.
   */
  sampleGapMs: number;
  /** Swap growth that fires `memory_pressure` on `machine:swap`, in bytes per minute over `swapWindowMs`. */
  swapGrowthBytesPerMin: number;
  /** The trailing window the swap growth rate is measured over; nothing is judged before one window of history. */
  swapWindowMs: number;
  /** `throughput_regression` fires when recent decode tok/s is at least this fraction below the baseline median. */
  throughputDropRatio: number;
  /** Requests needed on both sides: the recent window (its median) and the 7-day baseline. */
  throughputMinRequests: number;
  /**
   * The correlator's `contextAlertTokens`: with a huge window (256k) "half the window" is still far over
   * the alert threshold, so a new conversation is judged against min(this, the window).
   */
  contextAlertTokens: number;
  /** A request using less than this fraction of min(contextAlertTokens, window) is a new conversation. */
  contextResolveRatio: number;
  /** An incident-driven alert with no new occurrence for this long resolves; older incidents (backfill) raise none. */
  eventResolveMs: number;
  /** A firing, unacknowledged alert that kept occurring is re-sent after this long… */
  renotifyMs: number;
  /** …at most this many times over its life. */
  maxReminders: number;
  /** A resolved alert that recurs within this window reopens (same id, no new notification). */
  quietMs: number;
  /** Incident kinds that never become alerts (config `mute`). */
  mutedKinds: IncidentKind[];
}

const MIN = 60_000;

export const DEFAULT_ALERT_RULES: Readonly<AlertRulesConfig> = Object.freeze({
  pressureSustainMs: 30_000,
  pressureClearMs: 60_000,
  sampleGapMs: 60_000,
  // Background swapping on a Mac is tens of MiB over minutes; a model that does not fit pages out
  // hundreds of MiB to GiBs per minute. 256 MiB/min, averaged over a full minute (12 samples at the
  // default 5 s poll), is far above the noise and still catches a model being paged out early.
  swapGrowthBytesPerMin: 256 * 2 ** 20,
  swapWindowMs: MIN,
  throughputDropRatio: 0.4,
  throughputMinRequests: 5,
  contextAlertTokens: 90_000,
  contextResolveRatio: 0.5,
  eventResolveMs: 30 * MIN,
  renotifyMs: 60 * MIN,
  maxReminders: 3,
  quietMs: 10 * MIN,
  mutedKinds: [] as IncidentKind[],
});

/** Defaults overlaid with what the user set; a nonsensical value is a programming error, reported at start. */
export function alertRulesConfig(partial: Partial<AlertRulesConfig> = {}): AlertRulesConfig {
  const c: AlertRulesConfig = {
    ...DEFAULT_ALERT_RULES,
    ...partial,
    mutedKinds: [...(partial.mutedKinds ?? DEFAULT_ALERT_RULES.mutedKinds)],
  };
  const durations = [
    'pressureSustainMs',
    'pressureClearMs',
    'sampleGapMs',
    'swapWindowMs',
    'eventResolveMs',
    'renotifyMs',
    'quietMs',
  ] as const;
  for (const k of durations) if (!(c[k] >= 0) || !Number.isFinite(c[k])) throw new RangeError(`alerts: ${k} must be a duration ≥ 0 ms`);
  for (const k of ['throughputDropRatio', 'contextResolveRatio'] as const) {
    if (!(c[k] > 0 && c[k] < 1)) throw new RangeError(`alerts: ${k} must be between 0 and 1`);
  }
  if (!Number.isInteger(c.throughputMinRequests) || c.throughputMinRequests < 1)
    throw new RangeError('alerts: throughputMinRequests must be an integer ≥ 1');
  if (!Number.isInteger(c.maxReminders) || c.maxReminders < 0) throw new RangeError('alerts: maxReminders must be an integer ≥ 0');
  if (!(c.swapGrowthBytesPerMin > 0) || !(c.contextAlertTokens > 0))
    throw new RangeError('alerts: swapGrowthBytesPerMin and contextAlertTokens must be > 0');
  return c;
}
