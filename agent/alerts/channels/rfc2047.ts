// HTTP header values are bytes, and only ASCII is safe: Node's fetch refuses anything above U+00FF
// outright, and Latin-1 bytes reach ntfy as `?` (its docs and several client bug reports say so).
// ntfy decodes RFC 2047 encoded-words in any header (`maybeDecodeHeader` → Go's mime.WordDecoder), so a
// non-ASCII title travels as `=?UTF-8?B?…?=` words and is shown as written, emoji included.

// RFC 2047 §2: an encoded-word is at most 75 characters. `=?UTF-8?B?` + `?=` leave 63 for base64, so
// 60 characters (a multiple of 4) carrying 45 bytes.
const MAX_WORD_BYTES = 45;

/** The value as is when it is plain printable ASCII, else as RFC 2047 base64 encoded-words. */
export function headerText(value: string): string {
  // `=?` in a plain value would itself be read as the start of an encoded-word.
  if (/^[\x20-\x7e]*$/.test(value) && !value.includes('=?')) return value;
  const words: string[] = [];
  let chunk: Buffer[] = [];
  let size = 0;
  // Whole code points per word: a decoder that converts word by word must never see half a character.
  for (const ch of value) {
    const bytes = Buffer.from(ch, 'utf8');
    if (size + bytes.length > MAX_WORD_BYTES && size > 0) {
      words.push(encodedWord(Buffer.concat(chunk)));
      chunk = [];
      size = 0;
    }
    chunk.push(bytes);
    size += bytes.length;
  }
  if (size > 0) words.push(encodedWord(Buffer.concat(chunk)));
  // Whitespace between adjacent encoded-words is not part of the text (RFC 2047 §6.2).
  return words.join(' ');
}

function encodedWord(bytes: Buffer): string {
  return `=?UTF-8?B?${bytes.toString('base64')}?=`;
}
