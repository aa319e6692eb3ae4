// Go's %#v / strconv.Quote escapes, undone. Invalid escapes are kept as written, and so are escapes
// of control characters (`\x1b`, `\n`, `\u009b`…): unquoted, they would put real terminal escapes
// and line breaks from a log line into stored values, the dashboard and `analyze`'s output.
const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', "'": "'" };

/** C0, DEL and C1: what a terminal may act on. */
export const isControl = (code: number): boolean => code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f);

function hexEscape(body: string, i: number, digits: number): { text: string; length: number } | null {
  const hex = body.slice(i + 2, i + 2 + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const code = parseInt(hex, 16);
  if (isControl(code) || code > 0x10ffff) return { text: body.slice(i, i + 2 + digits), length: 2 + digits };
  return { text: String.fromCodePoint(code), length: 2 + digits };
}

export function unquoteGo(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1]!;
    const hex = n === 'x' ? hexEscape(body, i, 2) : n === 'u' ? hexEscape(body, i, 4) : n === 'U' ? hexEscape(body, i, 8) : null;
    if (Object.hasOwn(SIMPLE, n)) {
      out += SIMPLE[n];
      i++;
    } else if (hex !== null) {
      out += hex.text;
      i += hex.length - 1;
    } else {
      // `\n`, `\t`, `\a`… (control characters) and invalid escapes stay as written.
      out += c;
    }
  }
  return out;
}
