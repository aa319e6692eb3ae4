import { describe, expect, it } from 'vitest';
import { ALERT_RULES, incidentSubject, ruleMessage, throughputSubject, whoOf } from '../../../agent/alerts/rules.js';
import { alertRulesConfig, DEFAULT_ALERT_RULES } from '../../../agent/alerts/config.js';
import { INCIDENT_KINDS, type IncidentKind } from '../../../shared/records.js';
import { clocked, incident } from './fixtures.js';

type Row = [IncidentKind, { model: string | null; loadId: number | null }, 'warning' | 'critical', string, string];

const named = { model: 'qwen3:8b', loadId: 7 };
const loadOnly = { model: null, loadId: 12 };
const nothing = { model: null, loadId: null };

// Every incident kind of docs/records.md: the alert it raises from an incident.
const rows: Row[] = [
  ['mlx_fallback', named, 'warning', 'model:qwen3:8b', 'qwen3:8b ran on llama.cpp/Metal although MLX was expected'],
  ['mlx_on_cpu', named, 'warning', 'model:qwen3:8b', 'qwen3:8b: MLX runs on the CPU, not the GPU'],
  ['mlx_failed', loadOnly, 'critical', 'load:12', 'The model of load #12: the MLX runner failed'],
  ['mlx_unavailable', nothing, 'warning', 'server', 'MLX is not available to Ollama'],
  ['mlx_working_set', named, 'warning', 'model:qwen3:8b', "qwen3:8b exceeded Metal's recommended working set"],
  ['gpu_fallback', loadOnly, 'warning', 'load:12', 'The model of load #12 ran on the CPU although a GPU is available'],
  ['partial_offload', named, 'warning', 'model:qwen3:8b', 'qwen3:8b runs partly on the CPU'],
  ['context_near_limit', named, 'warning', 'model:qwen3:8b', 'qwen3:8b is close to its context window'],
  ['context_truncated', nothing, 'warning', 'server', 'A model hit its context window: Ollama cut the prompt'],
  ['context_shift', named, 'warning', 'model:qwen3:8b', 'qwen3:8b filled its context window: Ollama shifted it'],
  ['runner_crash', named, 'critical', 'model:qwen3:8b', 'qwen3:8b: the runner crashed'],
  ['oom', loadOnly, 'critical', 'load:12', 'The model of load #12 ran out of memory'],
  ['memory_pressure', named, 'warning', 'machine', 'Memory pressure is high on this machine'],
  ['throughput_regression', named, 'warning', 'model:qwen3:8b', 'qwen3:8b decodes much slower than usual'],
  ['upstream_down', nothing, 'critical', 'server', 'Ollama is not answering behind the ollama-lens proxy'],
];

describe('alert rules', () => {
  it("has a rule for every incident kind (the proxy's upstream_down included)", () => {
    expect(Object.keys(ALERT_RULES).sort()).toEqual(rows.map((r) => r[0]).sort());
    expect(rows).toHaveLength(INCIDENT_KINDS.length);
  });

  it.each(rows)('%s fires with its severity, subject and title', (kind, who, severity, subject, title) => {
    const { engine, clock } = clocked();
    const inc = incident(clock, kind, { ...who, detail: `evidence for ${kind}`, requestId: 99 });
    const changes = engine.onIncident(inc);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      key: `${kind}|${subject}`,
      change: 'fired',
      notify: 'fire',
      alert: {
        id: null,
        kind,
        severity,
        subject,
        model: who.model,
        state: 'firing',
        title,
        count: 1,
        evidence: [`evidence for ${kind}`],
        firstAt: '2026-03-01T10:00:00.000Z',
        lastAt: '2026-03-01T10:00:00.000Z',
        resolvedAt: null,
        acknowledgedAt: null,
        notifications: 1,
        lastNotifiedAt: '2026-03-01T10:00:00.000Z',
        incidentId: inc.id,
        loadId: who.loadId,
        requestId: 99,
      },
    });
    expect(changes[0]!.alert.message).toBe(`evidence for ${kind}. ${ALERT_RULES[kind].advice}`);
  });

  // Neither the model nor its load known: a title that still reads as a sentence.
  it.each([
    ['runner_crash', 'A model runner crashed'],
    ['mlx_failed', 'An MLX runner failed'],
    ['mlx_on_cpu', 'MLX runs on the CPU, not the GPU'],
    ['oom', 'A model ran out of memory'],
    ['context_near_limit', 'A model is close to its context window'],
  ] as const)('%s about no known model is titled "%s"', (kind, title) => {
    const { engine, clock } = clocked();
    const changes = engine.onIncident(incident(clock, kind, { ...nothing, detail: 'exit status 2' }));
    expect(changes.map((c) => [c.alert.subject, c.alert.title])).toEqual([['server', title]]);
  });

  it('builds the message from the incident detail as the reason, then the advice', () => {
    expect(ruleMessage(ALERT_RULES.context_truncated, 'qwen3:8b: prompt truncated.')).toBe(
      'qwen3:8b: prompt truncated. The start of the conversation was dropped silently: raise num_ctx or start a new conversation.',
    );
    expect(ruleMessage(ALERT_RULES.oom, '  ')).toBe(ALERT_RULES.oom.advice);
    expect(ALERT_RULES.context_truncated.advice).toContain('raise num_ctx or start a new conversation');
  });

  it('names subjects: model, else load, else server; machine for pressure; model@backend for throughput', () => {
    expect(incidentSubject({ kind: 'oom', model: 'llama3.3:70b', loadId: 3 })).toBe('model:llama3.3:70b');
    expect(incidentSubject({ kind: 'oom', model: '', loadId: 3 })).toBe('load:3');
    expect(incidentSubject({ kind: 'oom', model: null, loadId: null })).toBe('server');
    expect(incidentSubject({ kind: 'memory_pressure', model: 'x', loadId: 1 })).toBe('machine');
    expect(throughputSubject('hf.co/org/m:q4', 'metal')).toBe('model:hf.co/org/m:q4@metal');
    expect(whoOf(null, null)).toBeNull();
    expect(whoOf('', 4)).toBe('The model of load #4');
  });

  it('has the documented defaults and rejects nonsense', () => {
    expect(DEFAULT_ALERT_RULES).toMatchObject({
      pressureSustainMs: 30_000,
      pressureClearMs: 60_000,
      swapGrowthBytesPerMin: 256 * 2 ** 20,
      throughputDropRatio: 0.4,
      throughputMinRequests: 5,
      eventResolveMs: 1_800_000,
      renotifyMs: 3_600_000,
      maxReminders: 3,
      quietMs: 600_000,
      mutedKinds: [],
    });
    expect(() => alertRulesConfig({ throughputDropRatio: 1.2 })).toThrow(/throughputDropRatio/);
    expect(() => alertRulesConfig({ throughputMinRequests: 0 })).toThrow(/throughputMinRequests/);
    expect(() => alertRulesConfig({ quietMs: -1 })).toThrow(/quietMs/);
    expect(alertRulesConfig({ quietMs: 5 }).quietMs).toBe(5);
  });
});
