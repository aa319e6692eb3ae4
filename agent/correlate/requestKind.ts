import type { RequestKind } from '../../shared/records.js';

// Endpoints that run a model (docs/records.md, Request kind): native generate/chat/embed and the OpenAI/Anthropic-compatible ones.
const INFERENCE = new Set([
  '/api/generate',
  '/api/chat',
  '/api/embed',
  '/api/embeddings',
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/responses',
  '/v1/messages',
  '/v1/embeddings',
]);

/** Inference endpoints are all POST; an OPTIONS preflight or a GET to the same path runs no model. */
export function requestKind(path: string, method = 'POST'): RequestKind {
  if (method !== 'POST') return 'other';
  const q = path.indexOf('?');
  const noQuery = q < 0 ? path : path.slice(0, q);
  // Runs for every access-log line: the trailing-slash regex only when there is a trailing slash.
  const bare = noQuery.charCodeAt(noQuery.length - 1) === 0x2f /* / */ ? noQuery.replace(/\/+$/, '') : noQuery;
  return INFERENCE.has(bare) ? 'inference' : 'other';
}

/** Query strings are dropped before storing: they are not needed and could carry user text. */
export function pathWithoutQuery(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}
