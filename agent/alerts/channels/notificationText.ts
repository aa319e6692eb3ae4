// The words every channel shows, and the text hygiene they all need. Alert titles and evidence come
// from log lines and model names, so they may hold anything: newlines, control characters, emoji.
import type { AlertRecord } from '../../../shared/alerts.js';
import type { NotifyEvent } from './Notifier.js';

/** One line naming the alert and why it is sent now. */
export function headline(alert: AlertRecord, event: NotifyEvent): string {
  const title = oneLine(alert.title);
  if (event === 'resolve') return `Resolved: ${title}`;
  if (event === 'reminder') return `Still firing: ${title}`;
  return title;
}

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators (some renderers break on them).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
// A surrogate half without its partner cannot be encoded as UTF-8 (it would turn into U+FFFD somewhere
// downstream, or make a strict encoder throw).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Control characters and line breaks become single spaces; the result is trimmed. */
export function oneLine(text: string): string {
  return text.replace(LONE_SURROGATE, '').replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * At most `max` user-perceived characters, the last one `…` when cut. Cut between graphemes, so an
 * emoji made of several code points (flags, families, skin tones) is kept whole or dropped whole.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const parts = Array.from(segmenter.segment(text), (s) => s.segment);
  if (parts.length <= max) return text;
  return `${parts.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** At most `maxBytes` of UTF-8, cut between graphemes, ending in `…` when cut. */
export function clipUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength('…', 'utf8');
  let used = 0;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    const size = Buffer.byteLength(segment, 'utf8');
    if (used + size > budget) break;
    used += size;
    out += segment;
  }
  return `${out}…`;
}
