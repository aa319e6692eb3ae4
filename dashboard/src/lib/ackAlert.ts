// `POST /api/alerts/:id/ack`: acknowledge one alert (no more reminders; it still resolves on its
// own). Free of Svelte and of the global fetch so it can be unit-tested with a fake.
import type { AlertRecord } from '../../../shared/alerts.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

// Looked up at call time (not bound at import) so a fetch installed later is honoured.
const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

function isAlertRecord(value: unknown, id: number): value is AlertRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<AlertRecord>;
  return v.id === id && typeof v.title === 'string' && (v.state === 'firing' || v.state === 'resolved');
}

/** The API's error envelope `{error:{code,message}}` → its message; null when the body is not one. */
function errorMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && message !== '' ? message : null;
}

/**
 * Acknowledge alert `id`; resolves to the acknowledged record as the agent stored it
 * (acknowledging twice is fine: the first time is kept). Rejects with an `Error` whose message
 * reads after "Could not acknowledge: ": the server's own message for an API error ("no alert 7"),
 * otherwise what went wrong in plain words ("the agent answered HTTP 502 Bad Gateway").
 */
export async function acknowledgeAlert(id: number, fetchImpl: FetchLike = globalFetch): Promise<AlertRecord> {
  const body = await postToAgent(`/api/alerts/${encodeURIComponent(String(id))}/ack`, {}, fetchImpl);
  const alert = typeof body === 'object' && body !== null ? (body as { alert?: unknown }).alert : undefined;
  if (!isAlertRecord(alert, id)) throw new Error('the agent sent an unexpected answer');
  return alert;
}

/**
 * A state change sent to the agent: a JSON body declared as JSON (the agent refuses a state change
 * that is not: a foreign page cannot send this type without a preflight, so it is what tells the
 * dashboard from a cross-site form). Resolves to the parsed answer; rejects with a message that reads
 * after "Could not acknowledge: " (the server's own message, or what went wrong in plain words).
 */
export async function postToAgent(url: string, payload: unknown, fetchImpl: FetchLike = globalFetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
  } catch (error) {
    const detail = error instanceof Error && error.message !== '' ? ` (${error.message})` : '';
    throw new Error(`the ollama-lens agent did not answer${detail}`, { cause: error });
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: reported below with the HTTP status.
  }
  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new Error(errorMessage(body) ?? `the agent answered ${status}`);
  }
  return body;
}
