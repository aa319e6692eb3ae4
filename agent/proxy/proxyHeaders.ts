// Which of a request's or response's headers cross the proxy: every end-to-end header as sent (case,
// order, repeats), none that belong to one connection only.
// RFC 9110 §7.6.1: meaningful for one connection only; plus the legacy Proxy-Connection and Keep-Alive.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Raw header pairs without hop-by-hop ones (and those the Connection header names). */
export function endToEndHeaders(raw: readonly string[]): string[] {
  let named: Set<string> | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') {
      named ??= new Set();
      for (const t of raw[i + 1]!.split(',')) named.add(t.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(k) || named?.has(k)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/**
 * The headers the request goes upstream with. A body's framing is hop-by-hop: with Content-Length it
 * stays; a chunked body (its Transfer-Encoding dropped above) is re-chunked, for every method — Node's
 * client adds no framing of its own to a GET, DELETE, HEAD or OPTIONS, and Ollama would read the bytes
 * as a second request of the sender's making (request smuggling). Transfer-Encoding wins over a
 * Content-Length sent beside it (RFC 9112 §6.3), so that one goes.
 */
export function upstreamHeaders(raw: readonly string[], chunked: boolean): string[] {
  const headers = endToEndHeaders(raw);
  if (!chunked) return headers;
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() !== 'content-length') out.push(headers[i]!, headers[i + 1]!);
  }
  out.push('Transfer-Encoding', 'chunked');
  return out;
}
