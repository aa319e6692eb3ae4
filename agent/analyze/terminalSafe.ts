// `analyze` prints text taken from log lines to a terminal. A line can hold escape sequences — an OSC 52
// clipboard write, a clear-screen, a title change, C1's one-byte CSI — that the terminal would obey.
// Every control character but the report's own line breaks and tabs is shown as an escape instead.

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const escape = (ch: string): string => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Human text for a terminal: controls as `\x1b`, `\x9b`…; `\n` and `\t` kept. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROLS, escape);
}

/** JSON for a terminal: JSON.stringify already escapes C0; DEL and C1 become `\u007f`… (still valid JSON, same value). */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
