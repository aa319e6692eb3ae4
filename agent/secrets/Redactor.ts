// Text from outside (a webhook's error reply, an error that quotes a URL) may carry our secrets back
// to us, and not always as we sent them: a server echoes the `Authorization: Basic` header (base64 of
// user:password), a proxy quotes the URL percent-encoded, a framework prints one query value alone.
// So each secret is remembered in every form it can take, and whatever looks like a credential is
// cut even when it is not one we know.

/** Shorter values would cut ordinary words out of messages. */
const MIN_SECRET_CHARS = 3;

/** The forms one secret may come back in. */
export function secretForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  return [
    secret,
    encoded,
    encoded.replace(/%20/g, '+'),
    ...[encoded, encoded.replace(/%20/g, '+')].map((e) => e.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())),
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
}

/** Credentials by their look: `Basic …`/`Bearer …` values and `token=…`-like query or form values. */
const CREDENTIAL_PATTERNS: [RegExp, string][] = [
  // A value, not a word: "Basic authentication failed" keeps its word (no digit, capital or +/=).
  [/\b(Basic|Bearer|basic|bearer|BASIC|BEARER)(\s+|%20|\+)(?=[A-Za-z0-9+/=._~-]*[0-9A-Z+/=])[A-Za-z0-9+/=._~-]{6,}/g, '$1$2…'],
  [
    /([?&;\s"'{,]|^)((?:access_|auth_|api_|id_|refresh_)?(?:token|auth|apikey|api_key|key|secret|password|passwd|pass|pwd|sig|signature|credentials?))(=|%3D|"\s*:\s*")([^&\s"'<>,;}]+)/gim,
    '$1$2$3…',
  ],
];

export class Redactor {
  private secrets: string[] = [];

  /** Remembers each value (and its forms) to cut from shown text; values under 3 characters are ignored. */
  add(...values: (string | null | undefined)[]): void {
    const all = new Set(this.secrets);
    for (const v of values) {
      if (typeof v !== 'string' || v.length < MIN_SECRET_CHARS) continue;
      for (const form of secretForms(v)) if (form.length >= MIN_SECRET_CHARS) all.add(form);
    }
    // Longest first, so a URL goes whole before a part of it does.
    this.secrets = [...all].sort((a, b) => b.length - a.length);
  }

  /** The text with every known secret, in any of its forms, and every credential-looking value replaced by `…`. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('…');
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** For tests. */
  clear(): void {
    this.secrets = [];
  }
}

/**
 * The process's own secrets (`--token`, webhook credentials): the logger and the health route cut
 * them from every line they show, whichever part of the agent wrote it.
 */
export const processSecrets = new Redactor();
