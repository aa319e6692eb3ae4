// The rule table: for every incident kind (docs/records.md), how loud it is, what it is about, what to tell a
// person and how it ends. Kept as data so the engine has no per-kind branches beyond the resolution
// signals documented here, and so a new IncidentKind cannot compile without its rule.
import type { AlertSeverity } from '../../shared/alerts.js';
import type { IncidentKind, IncidentRecord } from '../../shared/records.js';

export interface AlertRule {
  /** Critical: something failed or the machine is in trouble. Warning: it works, slower or degraded. */
  severity: AlertSeverity;
  /** One line; `who` is the model's name or a stand-in (`The model of load #7`, `A model`). */
  title: (who: string) => string;
  /**
   * The line when neither the model nor its load is known, where `title('A model')` would not read
   * as a sentence ("A model: the runner crashed").
   */
  unnamed?: string;
  /** Why it matters and what to do, appended to the evidence in the message. */
  advice: string;
  /** How the alert ends, in plain words (documentation, and shown where the rule is explained). */
  resolves: string;
}

const BY_TIME = 'after 30 min (eventResolveMs) without a new occurrence';

export const ALERT_RULES: Readonly<Record<IncidentKind, AlertRule>> = {
  mlx_fallback: {
    severity: 'warning',
    title: (who) => `${who} ran on llama.cpp/Metal although MLX was expected`,
    advice: 'MLX is often about twice as fast on Apple Silicon: pull an MLX build of the model, or fix the reason above.',
    resolves: `when a later request of the same model is served by MLX, or ${BY_TIME}`,
  },
  mlx_on_cpu: {
    severity: 'warning',
    title: (who) => `${who}: MLX runs on the CPU, not the GPU`,
    unnamed: 'MLX runs on the CPU, not the GPU',
    advice: 'Generation is many times slower: make sure Ollama runs natively (not in a VM or container) and reload the model.',
    resolves: BY_TIME,
  },
  mlx_failed: {
    severity: 'critical',
    title: (who) => `${who}: the MLX runner failed`,
    unnamed: 'An MLX runner failed',
    advice:
      'Requests to this model fail or fall back: check the server log around this time; updating Ollama or reloading the model often helps.',
    resolves: BY_TIME,
  },
  mlx_unavailable: {
    severity: 'warning',
    title: () => 'MLX is not available to Ollama',
    advice: 'Models expected on MLX will run on llama.cpp/Metal instead: reinstall or update Ollama so its MLX library loads.',
    resolves: BY_TIME,
  },
  mlx_working_set: {
    severity: 'warning',
    title: (who) => `${who} exceeded Metal's recommended working set`,
    advice:
      'Generation slows down and the machine may swap: use a smaller model or context, close other apps, or raise iogpu.wired_limit_mb.',
    resolves: BY_TIME,
  },
  gpu_fallback: {
    severity: 'warning',
    title: (who) => `${who} ran on the CPU although a GPU is available`,
    advice:
      'Expect it to be several times slower: check the GPU runtime libraries, or use a smaller quantisation or num_ctx so it fits in GPU memory.',
    resolves: `when a later request of the same model runs on a GPU backend, or ${BY_TIME}`,
  },
  partial_offload: {
    severity: 'warning',
    title: (who) => `${who} runs partly on the CPU`,
    advice: 'The model does not fit in GPU memory: use a smaller quantisation or num_ctx, or unload other models.',
    resolves: BY_TIME,
  },
  context_near_limit: {
    severity: 'warning',
    title: (who) => `${who} is close to its context window`,
    advice: 'Ollama will soon cut or shift the prompt without telling the client: raise num_ctx or start a new conversation.',
    resolves: `when a later request of the same model uses under half of min(contextAlertTokens, its window) (a new conversation), or ${BY_TIME}`,
  },
  context_truncated: {
    severity: 'warning',
    title: (who) => `${who} hit its context window: Ollama cut the prompt`,
    advice: 'The start of the conversation was dropped silently: raise num_ctx or start a new conversation.',
    resolves: BY_TIME,
  },
  context_shift: {
    severity: 'warning',
    title: (who) => `${who} filled its context window: Ollama shifted it`,
    advice: 'The oldest tokens were discarded to make room: raise num_ctx or start a new conversation.',
    resolves: BY_TIME,
  },
  upstream_down: {
    severity: 'critical',
    title: () => 'Ollama is not answering behind the ollama-lens proxy',
    advice: "Clients get 502 errors: start Ollama on the proxy's upstream address (OLLAMA_HOST), or stop using --proxy.",
    resolves: BY_TIME,
  },
  runner_crash: {
    severity: 'critical',
    title: (who) => `${who}: the runner crashed`,
    unnamed: 'A model runner crashed',
    advice:
      'Requests in flight failed: if it repeats, look for out-of-memory messages; a smaller model or num_ctx, or updating Ollama, usually helps.',
    resolves: BY_TIME,
  },
  oom: {
    severity: 'critical',
    title: (who) => `${who} ran out of memory`,
    advice: 'Use a smaller model, quantisation or num_ctx, keep fewer models loaded (OLLAMA_MAX_LOADED_MODELS), or close other apps.',
    resolves: BY_TIME,
  },
  // Raised by the engine from memory samples (severity follows the pressure level); the row also
  // covers a memory_pressure incident should a future source report one.
  memory_pressure: {
    severity: 'warning',
    title: () => 'Memory pressure is high on this machine',
    advice:
      'The system is compressing and swapping memory and models slow down sharply: unload idle models (keep_alive), use smaller ones, or close other apps.',
    resolves: 'after pressureClearMs (60 s) of normal pressure, or once swap stopped growing for 60 s',
  },
  throughput_regression: {
    severity: 'warning',
    title: (who) => `${who} decodes much slower than usual`,
    advice:
      'Something changed: memory pressure, a longer context, thermal throttling, another quantisation or Ollama version. Compare the throughput chart.',
    resolves: `when the median of its recent requests is back above (1 − ratio/2) × its 7-day median, or ${BY_TIME}`,
  },
};

/** Subjects of the alerts the engine derives from memory samples. */
export const MACHINE_SUBJECT = 'machine';
export const SWAP_SUBJECT = 'machine:swap';

/** One firing alert per key. */
export const alertKey = (kind: IncidentKind, subject: string): string => `${kind}|${subject}`;

/**
 * What an incident is about: the model when it is named, else the load (a runner whose model is still a
 * blob digest), else the server. Memory pressure is always the machine's.
 */
export function incidentSubject(inc: Pick<IncidentRecord, 'kind' | 'model' | 'loadId'>): string {
  if (inc.kind === 'memory_pressure') return MACHINE_SUBJECT;
  if (inc.model !== null && inc.model !== '') return `model:${inc.model}`;
  if (inc.loadId !== null) return `load:${inc.loadId}`;
  return 'server';
}

/**
 * Throughput is judged per backend (MLX and llama.cpp speeds differ by ~2×), so each pair is its own
 * alert. `@` never occurs in an Ollama model name, which may contain `:` and `/`.
 */
export const throughputSubject = (model: string, backend: string): string => `model:${model}@${backend}`;

/** How a title names what the alert is about; null when neither the model nor its load is known. */
export function whoOf(model: string | null, loadId: number | null): string | null {
  if (model !== null && model !== '') return model;
  return loadId !== null ? `The model of load #${loadId}` : null;
}

/** The alert's title for an incident of `rule` about this model or load (either may be unknown). */
export function alertTitle(rule: AlertRule, model: string | null, loadId: number | null): string {
  const who = whoOf(model, loadId);
  return who !== null ? rule.title(who) : (rule.unnamed ?? rule.title('A model'));
}

/** The incident's detail is the reason; the rule's advice is what to do. */
export function ruleMessage(rule: AlertRule, detail: string): string {
  const reason = detail.trim().replace(/[.\s]+$/, '');
  return reason ? `${reason}. ${rule.advice}` : rule.advice;
}
