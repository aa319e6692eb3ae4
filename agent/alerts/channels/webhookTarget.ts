// A --webhook URL split into what is sent and what is shown. Webhook URLs carry secrets in three
// places: user:password (ntfy with access control), the query (`?auth=` for ntfy, `?token=` for
// others) and sometimes the path itself. The shown name keeps the scheme, host and path so two
// webhooks can be told apart, and never the first two.
import { Redactor } from '../../secrets/Redactor.js';

export interface WebhookTarget {
  /** The URL requested: credentials moved out (fetch refuses URLs that hold them), query kept. */
  requestUrl: string;
  /** `Basic …` from the URL's user:password, or null. */
  authorization: string | null;
  /** `webhook:https://ntfy.sh/alerts`, for statuses and logs. */
  name: string;
  /** Substrings that must not appear in anything shown (errors can quote the URL). */
  secrets: string[];
}

/** Null when the value is not an absolute http(s) URL. */
export function parseWebhookUrl(raw: string): WebhookTarget | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const secrets = [raw, raw.trim()];
  let authorization: string | null = null;
  if (url.username !== '' || url.password !== '') {
    const user = safeDecode(url.username);
    const pass = safeDecode(url.password);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
    // A server may echo the header back: the base64 and the whole header value are secrets too.
    secrets.push(url.username, url.password, user, pass, `${user}:${pass}`, authorization);
    url.username = '';
    url.password = '';
  }
  if (url.search.length > 1) {
    secrets.push(url.search.slice(1));
    // A framework may quote one value alone (`invalid token s3cret`).
    for (const [, value] of url.searchParams) secrets.push(value);
  }
  url.hash = '';
  const requestUrl = url.href;
  secrets.push(requestUrl);
  return {
    requestUrl,
    authorization,
    // The path is often the secret itself (an ntfy topic, a Slack or Discord hook): show its start only.
    name: `webhook:${url.origin}${url.pathname.length > 3 ? `${url.pathname.slice(0, 3)}…` : url.pathname}`,
    // Longest first, so a URL is replaced whole before a part of it is.
    secrets: [...new Set(secrets.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length),
  };
}

/** The text with every secret, in each form it can take (see Redactor), replaced by `…`. */
export function redact(text: string, secrets: readonly string[]): string {
  const r = new Redactor();
  r.add(...secrets);
  return r.redact(text);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
