// One quick look at Ollama's API for the start-up banner: a newcomer whose Ollama is not running (or
// listens elsewhere) learns it at once, with the command that explains what to do.

/** Null when Ollama answers `/api/version` within `timeoutMs`, else why not. */
export async function ollamaProblem(url: string, timeoutMs = 1500): Promise<string | null> {
  try {
    const res = await fetch(new URL('/api/version', url), { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok ? null : `it answered HTTP ${res.status}`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
    if (e.cause?.code === 'ECONNREFUSED') return 'nothing listens there';
    return e.cause?.code ?? e.cause?.message ?? e.message;
  }
}

/** The banner's Ollama line. */
export function ollamaBannerLine(url: string, problem: string | null): string {
  return problem === null
    ? `  Ollama API: ${url}`
    : `  Ollama API: ${url}  (unreachable: ${problem}; the log is still followed — "ollama-lens doctor" says how to fix it)`;
}
