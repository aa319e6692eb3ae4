// Watches a response stream as it passes through the proxy and keeps only the counters of Ollama's
// final chunk (`done:true` NDJSON, or the whole non-streamed JSON) or the OpenAI/Anthropic `usage`
// object (SSE `data:` events or the JSON body). Never stores content: it holds at most the current
// line (bounded; past the bound only its tail, where Ollama and OpenAI put their counters) and reads
// only lines that can carry counters.

/** What a response said about itself. Unknown stays null. */
export interface ScanResult {
  model: string | null;
  done: boolean;
  doneReason: string | null;
  promptEvalCount: number | null;
  evalCount: number | null;
  /** Nanoseconds, as Ollama reports them. */
  promptEvalDuration: number | null;
  evalDuration: number | null;
  loadDuration: number | null;
  totalDuration: number | null;
  /** OpenAI `prompt_tokens` / Anthropic and Responses `input_tokens`. */
  usageInput: number | null;
  /** OpenAI `completion_tokens` / Anthropic and Responses `output_tokens`. */
  usageOutput: number | null;
}

export type ScanMode = 'json' | 'sse' | 'off';

export const emptyScan = (): ScanResult => ({
  model: null,
  done: false,
  doneReason: null,
  promptEvalCount: null,
  evalCount: null,
  promptEvalDuration: null,
  evalDuration: null,
  loadDuration: null,
  totalDuration: null,
  usageInput: null,
  usageOutput: null,
});

/** `application/x-ndjson` and `application/json` are read line by line; `text/event-stream` as SSE. */
export function scanModeFor(contentType: string | undefined, contentEncoding: string | undefined): ScanMode {
  // A compressed body would have to be inflated to be read: left alone.
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity') return 'off';
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('text/event-stream')) return 'sse';
  if (ct.includes('json')) return 'json';
  return 'off';
}

export const MAX_LINE_BYTES = 1024 * 1024;
/** Kept of a line longer than MAX_LINE_BYTES: its end, where the counters are. */
const TAIL_BYTES = 64 * 1024;

const NL = 0x0a;
const MARKERS_JSON = ['"done":true', '"prompt_eval_count"', '"usage"', '"eval_count"'];
const MARKERS_SSE = ['"usage"'];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length <= 512 ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

export class ResponseScanner {
  private readonly parts: Buffer[] = [];
  private partBytes = 0;
  /** The current line outgrew MAX_LINE_BYTES: only its tail is kept. */
  private cut = false;
  private readonly result = emptyScan();

  constructor(
    private readonly mode: ScanMode,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    if (this.mode === 'off') return;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      if (nl < 0) break;
      if (this.partBytes === 0 && !this.cut) {
        // A whole line inside this chunk: read in place, nothing copied.
        this.read(chunk.subarray(start, nl), false);
      } else {
        this.append(chunk.subarray(start, nl));
        this.line();
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  /** The response ended: a last line without a newline (a non-streamed JSON body) is read too. */
  end(): ScanResult {
    if (this.mode !== 'off' && (this.partBytes > 0 || this.cut)) this.line();
    return this.result;
  }

  private append(b: Buffer): void {
    if (b.length === 0) return;
    if (this.cut && b.length >= TAIL_BYTES) {
      // Past the bound only the tail matters: a large piece replaces what was kept.
      this.parts.length = 0;
      this.parts.push(Buffer.from(b.subarray(b.length - TAIL_BYTES)));
      this.partBytes = TAIL_BYTES;
      return;
    }
    // Copied: the chunk belongs to the stream and is handed on to the client.
    this.parts.push(Buffer.from(b));
    this.partBytes += b.length;
    if (this.partBytes > (this.cut ? 2 * TAIL_BYTES : this.maxLine)) {
      const all = Buffer.concat(this.parts, this.partBytes);
      this.parts.length = 0;
      this.parts.push(Buffer.from(all.subarray(all.length - TAIL_BYTES)));
      this.partBytes = TAIL_BYTES;
      this.cut = true;
    }
  }

  private line(): void {
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
    const cut = this.cut;
    this.parts.length = 0;
    this.partBytes = 0;
    this.cut = false;
    this.read(buf, cut);
  }

  private read(buf: Buffer, cut: boolean): void {
    if (buf.length === 0) return;
    const markers = this.mode === 'sse' ? MARKERS_SSE : MARKERS_JSON;
    if (!markers.some((m) => buf.includes(m))) return;
    // OpenAI chunks before the last may say `"usage":null`: nothing to read there.
    if (this.mode === 'sse' && !cut && buf.includes('"usage":null') && !buf.includes('"usage":{')) return;
    let text = buf.toString('utf8');
    if (this.mode === 'sse' && !cut) {
      if (!text.startsWith('data:')) return;
      text = text.slice(5).trimStart();
    }
    if (!cut) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const o = obj(parsed);
      if (o) {
        this.fromObject(o);
        return;
      }
    }
    this.fromText(text);
  }

  private fromObject(o: Record<string, unknown>): void {
    const r = this.result;
    r.model = str(o.model) ?? r.model;
    if (o.done === true) r.done = true;
    r.doneReason = str(o.done_reason) ?? r.doneReason;
    r.promptEvalCount = num(o.prompt_eval_count) ?? r.promptEvalCount;
    r.evalCount = num(o.eval_count) ?? r.evalCount;
    r.promptEvalDuration = num(o.prompt_eval_duration) ?? r.promptEvalDuration;
    r.evalDuration = num(o.eval_duration) ?? r.evalDuration;
    r.loadDuration = num(o.load_duration) ?? r.loadDuration;
    r.totalDuration = num(o.total_duration) ?? r.totalDuration;
    // OpenAI chunks and bodies carry `usage` at the top; Responses' `response.completed` inside
    // `response`; Anthropic's `message_start` inside `message` (input), `message_delta` at the top (output).
    const usage = obj(o.usage) ?? obj(obj(o.response)?.usage) ?? obj(obj(o.message)?.usage);
    if (usage) this.fromUsage(usage);
  }

  private fromUsage(u: Record<string, unknown>): void {
    const r = this.result;
    r.usageInput = num(u.prompt_tokens) ?? num(u.input_tokens) ?? r.usageInput;
    r.usageOutput = num(u.completion_tokens) ?? num(u.output_tokens) ?? r.usageOutput;
  }

  /** A line too long (or not JSON) to parse: the last value of each key, by pattern. */
  private fromText(text: string): void {
    const r = this.result;
    const last = (key: string): number | null => {
      // An escaped quote (`\"key\":`) is inside a string; the key itself is never preceded by `\`.
      const re = new RegExp(`(?<!\\\\)"${key}"\\s*:\\s*(\\d+)`, 'g');
      let v: number | null = null;
      for (const m of text.matchAll(re)) v = Number(m[1]);
      return v;
    };
    if (/(?<!\\)"done"\s*:\s*true/.test(text)) r.done = true;
    const reason = /(?<!\\)"done_reason"\s*:\s*"([^"\\]{0,64})"/.exec(text);
    if (reason) r.doneReason = reason[1]!;
    r.promptEvalCount = last('prompt_eval_count') ?? r.promptEvalCount;
    r.evalCount = last('eval_count') ?? r.evalCount;
    r.promptEvalDuration = last('prompt_eval_duration') ?? r.promptEvalDuration;
    r.evalDuration = last('eval_duration') ?? r.evalDuration;
    r.loadDuration = last('load_duration') ?? r.loadDuration;
    r.totalDuration = last('total_duration') ?? r.totalDuration;
    r.usageInput = last('prompt_tokens') ?? last('input_tokens') ?? r.usageInput;
    r.usageOutput = last('completion_tokens') ?? last('output_tokens') ?? r.usageOutput;
  }
}
