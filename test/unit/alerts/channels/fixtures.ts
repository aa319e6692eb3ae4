// An alert record for channel tests, and a decoder for RFC 2047 encoded-words written independently of
// the encoder under test (what ntfy's Go mime.WordDecoder does for B-encoded UTF-8).
import type { AlertRecord } from '../../../../shared/alerts.js';

export function alert(over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 12,
    kind: 'mlx_fallback',
    severity: 'warning',
    subject: 'model:llama3.3:70b',
    model: 'llama3.3:70b',
    state: 'firing',
    title: 'llama3.3:70b ran on llama.cpp/Metal although MLX was expected',
    message: 'Decoding is about 30% slower on this backend. Check the model format and OLLAMA_MLX.',
    evidence: ['load at 08:00:01: backend=metal', 'request 41: 18.2 tok/s'],
    count: 3,
    firstAt: '2026-11-26T08:00:01.000Z',
    lastAt: '2026-11-26T08:05:00.000Z',
    resolvedAt: null,
    acknowledgedAt: null,
    notifications: 0,
    lastNotifiedAt: null,
    incidentId: 7,
    loadId: 3,
    requestId: 41,
    ...over,
  };
}

/** Decodes a header made of `=?UTF-8?B?…?=` words (whitespace between words dropped) or plain text. */
export function decodeRfc2047(value: string): string {
  const words = value.split(' ');
  if (!words.every((w) => /^=\?UTF-8\?B\?[A-Za-z0-9+/=]*\?=$/.test(w))) return value;
  return Buffer.concat(words.map((w) => Buffer.from(w.slice(10, -2), 'base64'))).toString('utf8');
}
