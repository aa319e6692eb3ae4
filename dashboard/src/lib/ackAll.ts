// `POST /api/alerts/ack-all` with the ids the person sees: JSON body and content type (the CSRF
// rule accepts only same-origin JSON posts). Errors read after "Could not acknowledge: ".
import type { AlertRecord } from '../../../shared/alerts.js';
import { postToAgent, type FetchLike } from './ackAlert.js';

const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

export async function acknowledgeAll(ids: readonly number[], fetchImpl: FetchLike = globalFetch): Promise<AlertRecord[]> {
  const body = await postToAgent('/api/alerts/ack-all', { ids }, fetchImpl);
  const alerts = (body as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts)) throw new Error('the agent sent an unexpected answer');
  return alerts as AlertRecord[];
}

/** "Acknowledge all 15 firing alerts". */
export function ackAllLabel(count: number, pending: boolean): string {
  return pending ? `Acknowledging ${count} alerts…` : `Acknowledge all ${count} firing alerts`;
}
