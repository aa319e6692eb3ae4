// Words for one request row: its HTTP status class and where the row came from. Pure.
import type { RequestRecord } from '../../../shared/records.js';

export type HttpStatusClass = 'success' | 'redirect' | 'client-error' | 'server-error' | 'other';

export function httpStatusClass(status: number): HttpStatusClass {
  if (status >= 200 && status < 300) return 'success';
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'client-error';
  if (status >= 500 && status < 600) return 'server-error';
  return 'other';
}

/**
 * Where a request row came from, when not the log alone: the proxy saw it too (`both`, with the
 * client's exact token counts) or only the proxy saw it (no log line yet, or the log is not read).
 */
export function requestSourceTag(source: RequestRecord['source']): { text: string; title: string } | null {
  switch (source) {
    case 'both':
      return { text: 'log+proxy', title: 'In the log and seen by the proxy: token counts from the response' };
    case 'proxy':
      return { text: 'proxy', title: 'Seen by the proxy only: no log line matched it' };
    default:
      return null;
  }
}
