// What a pill or badge shows: a tone, a decorative glyph and the words that carry the meaning
// (colour is never the only signal). The type every *Labels module returns.

export type Tone = 'ok' | 'info' | 'warn' | 'error' | 'neutral';

export interface StatusView {
  tone: Tone;
  /** A decorative glyph; the text alone must carry the meaning. */
  icon: string;
  text: string;
  /** Extra detail for the tooltip. */
  title?: string;
}
