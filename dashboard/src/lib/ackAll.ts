// `POST /api/alerts/ack-all` with the ids the person sees: JSON body and content type (the CSRF
// rule accepts only same-origin JSON posts). Errors read after "Could not acknowledge: ".
import type { AlertRecord } from '../../../shared/alerts.js';
import type { FetchLike } from './ackAlert.js';

const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

export async function acknowledgeAll(ids: readonly number[], fetchImpl: FetchLike = globalFetch): Promise<AlertRecord[]> {
  let response: Response;
  try {
    response = await fetchImpl('/api/alerts/ack-all', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids }),
    });
  } catch (error) {
    const detail = error instanceof Error && error.message !== '' ? ` (${error.message})` : '';
    throw new Error(`the ollama-lens agent did not answer${detail}`);
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: reported below with the HTTP status.
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    throw new Error(typeof message === 'string' && message !== '' ? message : `the agent answered HTTP ${response.status}`);
  }
  const alerts = (body as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts)) throw new Error('the agent sent an unexpected answer');
  return alerts as AlertRecord[];
}

/** "Acknowledge all 15 firing alerts". */
export function ackAllLabel(count: number, pending: boolean): string {
  return pending ? `Acknowledging ${count} alerts…` : `Acknowledge all ${count} firing alerts`;
}
