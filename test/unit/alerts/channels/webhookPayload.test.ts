import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  alertLink,
  jsonRequest,
  ntfyBody,
  ntfyPriority,
  ntfyRequest,
  ntfyTags,
  webhookJson,
  webhookRequest,
} from '../../../../agent/alerts/channels/webhookPayload.js';
import { headerText } from '../../../../agent/alerts/channels/rfc2047.js';
import { alert, decodeRfc2047 } from './fixtures.js';

const DASH = 'http://127.0.0.1:7185';

describe('webhook JSON body', () => {
  it('has exactly the documented fields, with the link to the alert', () => {
    const body = webhookJson(alert(), 'fire', DASH);
    expect(body).toEqual({
      event: 'fire',
      id: 12,
      kind: 'mlx_fallback',
      severity: 'warning',
      state: 'firing',
      subject: 'model:llama3.3:70b',
      model: 'llama3.3:70b',
      title: 'llama3.3:70b ran on llama.cpp/Metal although MLX was expected',
      message: 'Decoding is about 30% slower on this backend. Check the model format and OLLAMA_MLX.',
      evidence: ['load at 08:00:01: backend=metal', 'request 41: 18.2 tok/s'],
      count: 3,
      firstAt: '2026-11-26T08:00:01.000Z',
      lastAt: '2026-11-26T08:05:00.000Z',
      resolvedAt: null,
      link: 'http://127.0.0.1:7185/#alert-12',
    });
  });

  it('copies the evidence, so later changes to the record do not leak into a queued body', () => {
    const a = alert();
    const body = webhookJson(a, 'fire', DASH);
    a.evidence.push('later');
    expect(body.evidence).toHaveLength(2);
  });

  it('a resolve carries the resolved state and time', () => {
    const body = webhookJson(alert({ state: 'resolved', resolvedAt: '2026-11-26T09:00:00.000Z' }), 'resolve', DASH);
    expect(body).toMatchObject({ event: 'resolve', state: 'resolved', resolvedAt: '2026-11-26T09:00:00.000Z' });
  });

  it('the request is JSON with a JSON content type and keeps non-ASCII text as is', () => {
    const req = jsonRequest(alert({ title: 'qwen3:8b — context 🔥 full' }), 'fire', DASH);
    expect(req.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(req.body)).toMatchObject({ title: 'qwen3:8b — context 🔥 full' });
    expect(webhookRequest('json', alert(), 'fire', DASH)).toEqual(jsonRequest(alert(), 'fire', DASH));
  });

  it('the link does not double the slash when the dashboard URL ends in one', () => {
    expect(alertLink('http://localhost:7185/', 5)).toBe('http://localhost:7185/#alert-5');
    expect(alertLink('http://localhost:7185', 5)).toBe('http://localhost:7185/#alert-5');
  });
});

describe('ntfy request', () => {
  it('plain-text body (ntfy shows the headline as its title, so the body does not repeat it) and ntfy headers for a critical fire', () => {
    const req = ntfyRequest(alert({ severity: 'critical', kind: 'oom' }), 'fire', DASH);
    expect(req.headers).toEqual({
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Title': 'llama3.3:70b ran on llama.cpp/Metal although MLX was expected',
      'X-Priority': '5',
      'X-Tags': 'rotating_light,oom',
      'X-Click': 'http://127.0.0.1:7185/#alert-12',
    });
    expect(req.body).toBe(
      [
        'Decoding is about 30% slower on this backend. Check the model format and OLLAMA_MLX.',
        '',
        'Evidence:',
        '- load at 08:00:01: backend=metal',
        '- request 41: 18.2 tok/s',
      ].join('\n'),
    );
    expect(webhookRequest('ntfy', alert(), 'fire', DASH)).toEqual(ntfyRequest(alert(), 'fire', DASH));
  });

  it.each([
    ['warning', 'fire', 3, 'warning'],
    ['warning', 'reminder', 3, 'warning'],
    ['critical', 'fire', 5, 'rotating_light'],
    ['critical', 'reminder', 5, 'rotating_light'],
    ['critical', 'resolve', 2, 'white_check_mark'],
    ['warning', 'resolve', 2, 'white_check_mark'],
  ] as const)('%s %s → priority %i, tag %s', (severity, event, priority, tag) => {
    const a = alert({ severity });
    expect(ntfyPriority(a, event)).toBe(priority);
    expect(ntfyTags(a, event)).toEqual([tag, 'mlx_fallback']);
  });

  it('the title says when the alert is a reminder or a resolve', () => {
    expect(ntfyRequest(alert(), 'reminder', DASH).headers['X-Title']).toBe(
      'Still firing: llama3.3:70b ran on llama.cpp/Metal although MLX was expected',
    );
    expect(ntfyRequest(alert(), 'resolve', DASH).headers['X-Title']).toBe(
      'Resolved: llama3.3:70b ran on llama.cpp/Metal although MLX was expected',
    );
    expect(ntfyBody(alert(), 'resolve')).not.toContain('llama.cpp/Metal although');
  });

  it('a non-ASCII title travels as RFC 2047 words that decode back to it', () => {
    const title = 'qwen3:8b — contexte saturé 🔥 (模型)';
    const req = ntfyRequest(alert({ title }), 'fire', DASH);
    const header = req.headers['X-Title'] as string;
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header.startsWith('=?UTF-8?B?')).toBe(true);
    expect(decodeRfc2047(header)).toBe(title);
    // The body is UTF-8 as is.
    expect(ntfyRequest(alert({ message: title }), 'fire', DASH).body.startsWith(title)).toBe(true);
  });

  it('every header value is printable ASCII, whatever the alert holds', () => {
    const req = ntfyRequest(alert({ title: 'bad\r\nX-Injected: 1\t🔥', kind: 'oom' }), 'reminder', 'http://hôte.local:7185/tableau');
    for (const v of Object.values(req.headers)) expect(v).toMatch(/^[\x20-\x7e]+$/);
    // The CR/LF became a space, so no header can be smuggled in.
    expect(decodeRfc2047(req.headers['X-Title'] as string)).toBe('Still firing: bad X-Injected: 1 🔥');
    expect(req.headers['X-Click']).toBe(`http://${domainToASCII('hôte.local')}:7185/tableau/#alert-12`);
    expect(req.headers['X-Click']).toMatch(/^http:\/\/xn--/);
  });

  it('a long title is capped before encoding (ntfy rejects titles over 1 KB)', () => {
    const req = ntfyRequest(alert({ title: 'é'.repeat(5000) }), 'fire', DASH);
    const decoded = decodeRfc2047(req.headers['X-Title'] as string);
    expect([...decoded]).toHaveLength(200);
    expect(decoded.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(req.headers['X-Title'] as string)).toBeLessThan(1024);
  });

  it('the body stays under ntfy’s 4,096-byte message limit (beyond it ntfy makes an attachment)', () => {
    const body = ntfyBody(alert({ evidence: Array.from({ length: 5 }, () => '🔥'.repeat(400)) }), 'fire');
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(4000);
    expect(body.endsWith('…')).toBe(true);
    expect(body).not.toContain('\uFFFD');
  });

  it('evidence lines are one line each', () => {
    expect(
      ntfyBody(alert({ evidence: ['a\nb'] }), 'fire')
        .split('\n')
        .slice(-1),
    ).toEqual(['- a b']);
  });

  it('a kind that is not a plain identifier is left out of the tags', () => {
    expect(ntfyTags(alert({ kind: 'wéird kind' as never }), 'fire')).toEqual(['warning']);
  });
});

describe('RFC 2047 header text', () => {
  it('plain ASCII passes unchanged', () => {
    expect(headerText('Resolved: ok (3x)')).toBe('Resolved: ok (3x)');
  });

  it('ASCII that looks like an encoded-word is encoded, so the receiver cannot misread it', () => {
    const v = headerText('a =?UTF-8?B?QQ==?= b');
    expect(v).not.toBe('a =?UTF-8?B?QQ==?= b');
    expect(decodeRfc2047(v)).toBe('a =?UTF-8?B?QQ==?= b');
  });

  it('words are at most 75 characters and never split a character', () => {
    const text = '🔥é'.repeat(60);
    const v = headerText(text);
    const words = v.split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(75);
      // Each word decodes on its own to whole characters.
      expect(Buffer.from(w.slice(10, -2), 'base64').toString('utf8')).not.toContain('\uFFFD');
    }
    expect(decodeRfc2047(v)).toBe(text);
  });
});
