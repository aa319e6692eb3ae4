// What the proxy reads of a request body: only `model` and `stream`, from at most its first 64 KiB.
// The body itself is forwarded unchanged and never kept.

export const PEEK_BYTES = 64 * 1024;

export interface RequestPeek {
  model: string | null;
  stream: boolean | null;
}

/** `llama3` → `llama3:latest`; `registry.ollama.ai/library/x:tag` → `x:tag`, as the log names models. */
export function normalizeModel(name: string): string {
  let n = name.trim().replace(/^registry\.ollama\.ai\/library\//, '');
  const slash = n.lastIndexOf('/');
  if (n.length > 0 && !n.slice(slash + 1).includes(':')) n = `${n}:latest`;
  return n;
}

/** `prefix` is the body's first bytes; `complete` says whether that is the whole body. */
export function peekRequest(prefix: Buffer, complete: boolean): RequestPeek {
  if (prefix.length === 0) return { model: null, stream: null };
  const text = prefix.toString('utf8');
  if (complete) {
    try {
      const o = JSON.parse(text) as unknown;
      if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
        const r = o as Record<string, unknown>;
        return {
          model: typeof r.model === 'string' && r.model.length > 0 && r.model.length <= 256 ? normalizeModel(r.model) : null,
          stream: typeof r.stream === 'boolean' ? r.stream : null,
        };
      }
    } catch {
      // Fall through to the patterns.
    }
  }
  // A body cut at 64 KiB (or not JSON): the first unescaped `"model": "…"`; clients put it first.
  const m = /(?<!\\)"model"\s*:\s*"([^"\\]{1,256})"/.exec(text);
  const s = /(?<!\\)"stream"\s*:\s*(true|false)/.exec(text);
  return { model: m ? normalizeModel(m[1]!) : null, stream: s ? s[1] === 'true' : null };
}
