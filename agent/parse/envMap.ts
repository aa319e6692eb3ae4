// The `server config` line prints Go's `%v` of a map[string]string: `map[K:V K2: K3:[a b c]]`.
// Values may hold spaces inside brackets (OLLAMA_ORIGINS) and colons (URLs), so a new key starts only
// at a space outside brackets followed by `NAME:`.

// Sticky: tested in place at each space, without slicing the (long) map text.
const KEY = /[A-Za-z_][A-Za-z0-9_]*:/y;

function keyAt(body: string, i: number): boolean {
  KEY.lastIndex = i;
  return KEY.test(body);
}

export function parseEnvMap(text: string): Record<string, string> {
  const body = text.startsWith('map[') && text.endsWith(']') ? text.slice(4, -1) : text;
  const out: Record<string, string> = {};
  let start = 0;
  let depth = 0;
  const take = (end: number): void => {
    const colon = body.indexOf(':', start);
    if (colon > start && colon < end) out[body.slice(start, colon)] = body.slice(colon + 1, end);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x5b /* [ */) depth++;
    else if (c === 0x5d /* ] */) depth = Math.max(0, depth - 1);
    else if (c === 0x20 && depth === 0 && keyAt(body, i + 1)) {
      take(i);
      start = i + 1;
    }
  }
  if (body.length > 0) take(body.length);
  return out;
}

/** Go's strconv.ParseBool truthy spellings, which envconfig uses for boolean settings. */
export function envTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|true|yes|on)$/i.test(value.trim());
}
