// Incidents, requests and memory samples in; alert changes out. A pure state machine: no I/O, no
// timers; the caller supplies the clock, stores each change (insert when `id` is null, then `assignId`),
// pushes it to the dashboard and sends what `notify` says. The lifecycle and notification policy are
// AlertBook's; this file holds the rules that need more than one incident.
//
// Times: lifecycle times (firstAt, lastAt, resolvedAt…) are the engine's clock at the call, since a
// log's clock and the agent's may differ. An incident or request whose own time is older than
// `eventResolveMs` (a backfill of old logs) raises and resolves nothing: it would be resolved already.
//
// Resolution signals besides time (documented per rule in rules.ts):
// - `mlx_fallback`: a later successful request of the same model served by MLX;
// - `gpu_fallback`: a later successful request of the same model on a GPU backend;
// - `context_near_limit`: a later request of the same model using under `contextResolveRatio` of
//   min(contextAlertTokens, its window): a new conversation. A long conversation still running next to it
//   raises the incident again, which reopens the alert silently within the quiet period.
// - memory pressure and swap: their own hysteresis on samples; also resolved when samples stop for
//   `eventResolveMs` (the probe died: nothing says the pressure is still there).
// - throughput: the recent median back above (1 − ratio/2) × the baseline; after `eventResolveMs`
//   without requests it resolves and forgets its window, so it is judged again on fresh requests only.
import type { MemorySample, PressureLevel } from '../../shared/memory.js';
import type { AlertRecord, AlertSeverity } from '../../shared/alerts.js';
import type { IncidentKind, IncidentRecord, RequestRecord } from '../../shared/records.js';
import { epochMs } from '../parse/timestamps.js';
import { AlertBook } from './AlertBook.js';
import { alertRulesConfig, type AlertRulesConfig } from './config.js';
import { PressureRun, SwapRate } from './pressure.js';
import {
  ALERT_RULES,
  alertKey,
  alertTitle,
  incidentSubject,
  MACHINE_SUBJECT,
  ruleMessage,
  SWAP_SUBJECT,
  throughputSubject,
} from './rules.js';
import { DecodeWindows, median } from './throughput.js';
import type { AlertChange, AlertDraft } from './types.js';

/** The 7-day decode median of a model on a backend, from the store; null when it has no history. */
export type DecodeBaselineLookup = (model: string, backend: string) => { medianDecodeTps: number; requests: number } | null;

const GPU_BACKENDS = new Set(['metal', 'cuda', 'rocm', 'vulkan']);
const PRESSURE_KEY = alertKey('memory_pressure', MACHINE_SUBJECT);
const SWAP_KEY = alertKey('memory_pressure', SWAP_SUBJECT);

const MiB = 2 ** 20;
const mib = (b: number): string => `${Math.round(b / MiB)} MiB`;
const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;

export class AlertEngine {
  readonly config: AlertRulesConfig;
  private readonly book: AlertBook;
  private readonly muted: Set<IncidentKind>;
  private readonly pressure: PressureRun;
  private readonly swap: SwapRate;
  private swapCalmSince: number | null = null;
  private lastSampleMs: number | null = null;
  private readonly decode: DecodeWindows;

  constructor(
    config: Partial<AlertRulesConfig> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.config = alertRulesConfig(config);
    this.book = new AlertBook(this.config, now);
    this.muted = new Set(this.config.mutedKinds);
    this.pressure = new PressureRun(this.config.sampleGapMs);
    this.swap = new SwapRate(this.config.swapWindowMs, this.config.sampleGapMs);
    this.decode = new DecodeWindows(this.config.throughputMinRequests);
  }

  onIncident(inc: IncidentRecord): AlertChange[] {
    if (this.muted.has(inc.kind) || this.stale(inc.at)) return [];
    const rule = ALERT_RULES[inc.kind];
    return [
      this.book.occur({
        kind: inc.kind,
        subject: incidentSubject(inc),
        model: inc.model,
        severity: rule.severity,
        title: alertTitle(rule, inc.model, inc.loadId),
        message: ruleMessage(rule, inc.detail),
        evidence: inc.detail,
        count: 1,
        driver: 'event',
        incidentId: inc.id,
        loadId: inc.loadId,
        requestId: inc.requestId,
      }),
    ];
  }

  onRequest(req: RequestRecord, baseline: DecodeBaselineLookup): AlertChange[] {
    if (req.kind !== 'inference' || req.model === null || req.status >= 400 || this.stale(req.at)) return [];
    const out: AlertChange[] = [];
    const push = (c: AlertChange | null): void => void (c && out.push(c));
    const model = req.model;
    if (req.backend === 'mlx') push(this.book.resolve(alertKey('mlx_fallback', `model:${model}`), `request #${req.id} was served by MLX`));
    if (req.backend !== null && GPU_BACKENDS.has(req.backend)) {
      push(this.book.resolve(alertKey('gpu_fallback', `model:${model}`), `request #${req.id} ran on ${req.backend}`));
    }
    const used = req.ctxUsed ?? req.promptTokens;
    if (
      used !== null &&
      req.ctxLimit !== null &&
      used < this.config.contextResolveRatio * Math.min(this.config.contextAlertTokens, req.ctxLimit)
    ) {
      push(
        this.book.resolve(
          alertKey('context_near_limit', `model:${model}`),
          `request #${req.id} used ${used} of ${req.ctxLimit} tokens: a new conversation`,
        ),
      );
    }
    push(this.throughput(req, model, baseline));
    return out;
  }

  onMemory(sample: MemorySample): AlertChange[] {
    const t = this.now();
    this.lastSampleMs = t;
    if (this.muted.has('memory_pressure')) return [];
    const out: AlertChange[] = [];
    const push = (c: AlertChange | null): void => void (c && out.push(c));
    if (sample.pressure !== null) push(this.pressureChange(sample, sample.pressure, t));
    if (sample.swapUsedBytes !== null) push(this.swapChange(sample.swapUsedBytes, t));
    return out;
  }

  /** Call every few seconds: time-based resolution, reminders, and forgetting old resolved alerts. */
  tick(): AlertChange[] {
    const t = this.now();
    const out: AlertChange[] = [];
    const samplesStopped = this.lastSampleMs !== null && t - this.lastSampleMs >= this.config.eventResolveMs;
    if (samplesStopped || this.muted.has('memory_pressure')) {
      const why = samplesStopped ? 'no memory samples for a while' : undefined;
      for (const key of [PRESSURE_KEY, SWAP_KEY]) {
        const c = this.book.resolve(key, why);
        if (c) out.push(c);
      }
    }
    for (const c of this.book.tick()) {
      if (c.change === 'resolved' && c.alert.kind === 'throughput_regression') this.decode.clear(c.alert.subject);
      out.push(c);
    }
    return out;
  }

  /** From the dashboard/API. No change when the alert is unknown here or already acknowledged. */
  acknowledge(key: string): AlertChange[] {
    const c = this.book.acknowledge(key);
    return c ? [c] : [];
  }

  assignId(key: string, id: number): void {
    this.book.assignId(key, id);
  }

  /**
   * After an agent restart, before any input: firing alerts (occurrences keep counting into them) and
   * those resolved within the quiet period. Memory alerts then wait for samples like any other time.
   */
  restore(alerts: AlertRecord[]): void {
    this.book.restore(alerts);
    this.lastSampleMs ??= this.now();
  }

  /** The alerts held: firing, and resolved within the quiet period; newest first. */
  alerts(): AlertDraft[] {
    return this.book.list();
  }

  private stale(at: string | null): boolean {
    if (at === null) return false;
    const ts = epochMs(at);
    return Number.isFinite(ts) && this.now() - ts >= this.config.eventResolveMs;
  }

  private pressureChange(sample: MemorySample, level: PressureLevel, t: number): AlertChange | null {
    const run = this.pressure;
    run.update(level, t);
    const firing = this.book.isFiring(PRESSURE_KEY);
    const { pressureSustainMs: sustain, pressureClearMs: clear } = this.config;
    if (level === 'normal') {
      return firing && run.normalFor(t) >= clear ? this.book.resolve(PRESSURE_KEY, `normal again for ${secs(run.normalFor(t))}`) : null;
    }
    const severity: AlertSeverity | null = run.criticalFor(t) >= sustain ? 'critical' : run.elevatedFor(t) >= sustain ? 'warning' : null;
    const evidence = `${level} for ${secs(level === 'critical' ? run.criticalFor(t) : run.elevatedFor(t))}${pressureFigure(sample)}`;
    const current = this.book.severityOf(PRESSURE_KEY);
    if (severity !== null && (current === null || (severity === 'critical' && current === 'warning'))) {
      const rule = ALERT_RULES.memory_pressure;
      return this.book.occur({
        kind: 'memory_pressure',
        subject: MACHINE_SUBJECT,
        model: null,
        severity,
        title: `Memory pressure is ${severity === 'critical' ? 'critical' : 'high'} on this machine`,
        message: rule.advice,
        evidence,
        // An escalation is the same episode getting worse, not a new occurrence.
        count: current === null ? 1 : 0,
        driver: 'condition',
        incidentId: null,
        loadId: null,
        requestId: null,
      });
    }
    if (firing) this.book.observe(PRESSURE_KEY, evidence);
    return null;
  }

  private swapChange(usedBytes: number, t: number): AlertChange | null {
    this.swap.push(t, usedBytes);
    const g = this.swap.growth(t);
    if (g === null) return null;
    const threshold = this.config.swapGrowthBytesPerMin;
    const firing = this.book.isFiring(SWAP_KEY);
    const evidence = `swap +${mib(g.grownBytes)} in the last ${secs(g.spanMs)} (${mib(g.perMin)}/min), ${gib(g.usedBytes)} used`;
    if (g.perMin >= threshold) {
      this.swapCalmSince = null;
      if (!firing) {
        return this.book.occur({
          kind: 'memory_pressure',
          subject: SWAP_SUBJECT,
          model: null,
          severity: 'warning',
          title: 'Swap is growing fast on this machine',
          message: `More than ${mib(threshold)} a minute is being paged out to disk. ${ALERT_RULES.memory_pressure.advice}`,
          evidence,
          count: 1,
          driver: 'condition',
          incidentId: null,
          loadId: null,
          requestId: null,
        });
      }
      this.book.observe(SWAP_KEY, evidence);
      return null;
    }
    if (!firing) return null;
    // Hysteresis: the rate must stay under half the threshold for the clear period.
    if (g.perMin >= threshold / 2) {
      this.swapCalmSince = null;
      return null;
    }
    this.swapCalmSince ??= t;
    return t - this.swapCalmSince >= this.config.pressureClearMs ? this.book.resolve(SWAP_KEY, evidence) : null;
  }

  private throughput(req: RequestRecord, model: string, baseline: DecodeBaselineLookup): AlertChange | null {
    if (this.muted.has('throughput_regression') || req.backend === null) return null;
    const tps = req.decodeTps;
    if (tps === null || !Number.isFinite(tps) || tps <= 0) return null;
    const subject = throughputSubject(model, req.backend);
    const window = this.decode.push(subject, tps);
    const n = this.config.throughputMinRequests;
    if (window.length < n) return null;
    const base = baseline(model, req.backend);
    if (base === null || base.requests < n || !(base.medianDecodeTps > 0)) return null;
    const recent = median(window);
    const ratio = this.config.throughputDropRatio;
    const key = alertKey('throughput_regression', subject);
    const drop = 1 - recent / base.medianDecodeTps;
    const evidence =
      `decode ${recent.toFixed(1)} tok/s (median of the last ${n}) vs ${base.medianDecodeTps.toFixed(1)} tok/s ` +
      `7-day median on ${req.backend}: ${Math.round(drop * 100)}% slower`;
    if (recent <= (1 - ratio) * base.medianDecodeTps) {
      const rule = ALERT_RULES.throughput_regression;
      return this.book.occur({
        kind: 'throughput_regression',
        subject,
        model,
        severity: rule.severity,
        title: `${model} decodes ${Math.round(drop * 100)}% slower on ${req.backend} than its 7-day median`,
        message: ruleMessage(rule, evidence),
        evidence,
        count: 1,
        driver: 'event',
        incidentId: null,
        loadId: req.loadId,
        requestId: req.id,
      });
    }
    if (!this.book.isFiring(key)) return null;
    if (recent > (1 - ratio / 2) * base.medianDecodeTps) return this.book.resolve(key, evidence);
    // In the hysteresis band: not recovered, and still being measured (so not resolved by time either).
    this.book.observe(key);
    return null;
  }
}

function pressureFigure(s: MemorySample): string {
  if (s.pressureValue === null) return '';
  if (s.pressureSource === 'macos') return ` (free memory level ${s.pressureValue}%)`;
  return ` (PSI some avg10 ${s.pressureValue}%)`;
}
