// Bodies from outside (a webhook's error reply, Ollama's answers) are read up to a limit, then the
// stream is cancelled: a server answering with an endless or huge body must cost at most the limit,
// not the agent's memory.

export interface BoundedText {
  text: string;
  /** The body went on past `maxBytes`; the rest was not read. */
  truncated: boolean;
}

/** At most `maxBytes` of the body, decoded as UTF-8 (a character cut at the limit is dropped). */
export async function readBounded(res: Response, maxBytes: number): Promise<BoundedText> {
  if (res.body === null) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - total;
      if (value.byteLength >= room) {
        chunks.push(value.subarray(0, room));
        total += room;
        // Equal to the limit is not "over" unless more follows.
        truncated = value.byteLength > room || !(await reader.read()).done;
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    // Frees the socket without reading the rest.
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  const text = new TextDecoder('utf-8').decode(bytes, { stream: truncated });
  return { text, truncated };
}
