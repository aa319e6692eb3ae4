import { describe, expect, it } from 'vitest';
import { parseWebhookUrl, redact } from '../../../../agent/alerts/channels/webhookTarget.js';

describe('parseWebhookUrl', () => {
  it('a plain URL: requested as is, named by scheme, host and the start of the path (often the secret)', () => {
    expect(parseWebhookUrl('https://ntfy.sh/ollama-alerts')).toMatchObject({
      requestUrl: 'https://ntfy.sh/ollama-alerts',
      authorization: null,
      name: 'webhook:https://ntfy.sh/ol…',
    });
  });

  it('user:password become a Basic header (fetch refuses URLs holding credentials) and leave the name', () => {
    const t = parseWebhookUrl('https://phil:p%40ss@ntfy.example.com:8443/alerts?auth=tk_abc#frag');
    expect(t).toMatchObject({
      requestUrl: 'https://ntfy.example.com:8443/alerts?auth=tk_abc',
      authorization: `Basic ${Buffer.from('phil:p@ss').toString('base64')}`,
      name: 'webhook:https://ntfy.example.com:8443/al…',
    });
    for (const s of ['phil', 'p@ss', 'p%40ss', 'tk_abc']) expect(t?.name).not.toContain(s);
  });

  it('a token-only URL (empty user) still sends it', () => {
    expect(parseWebhookUrl('https://:tk_secret@ntfy.sh/t')?.authorization).toBe(`Basic ${Buffer.from(':tk_secret').toString('base64')}`);
  });

  it.each(['ntfy.sh/topic', 'ftp://host/x', 'file:///etc/passwd', '', 'http//x'])('%j is not a webhook URL', (raw) => {
    expect(parseWebhookUrl(raw)).toBeNull();
  });

  it('redact removes every secret, the whole URL included', () => {
    const t = parseWebhookUrl('http://u1:pw-123@h.example/p?token=zzz999');
    const text = 'failed http://u1:pw-123@h.example/p?token=zzz999 and http://h.example/p?token=zzz999 with pw-123 token=zzz999';
    const out = redact(text, t?.secrets ?? []);
    for (const s of ['pw-123', 'zzz999']) expect(out).not.toContain(s);
  });
});
