// Event values shared by the runner-output rules. Noise and activity carry no data, so one frozen
// object each is returned for every such line instead of allocating per line (most lines are noise).
import type { LineEvent } from '../events.js';

export const NOISE: LineEvent = Object.freeze({ type: 'noise' });
export const SLOT_ACTIVITY: LineEvent = Object.freeze({ type: 'slot_activity' });

/** Incident texts are shown to the user and stored, so they stay short. */
export function clip(text: string, max = 200): string {
  const t = text.trim();
  return t.length <= max ? t : t.slice(0, max);
}

/** A decimal count as printed (`14892`); anything else is unknown, never 0. */
export function int(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** What String.prototype.trimStart removes: WhiteSpace and LineTerminator. */
export function isTrimmed(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
