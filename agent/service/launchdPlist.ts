// The launchd agent that runs the agent (`ollama-lens service install` on macOS). Pure: the same input
// always gives the same text, so tests compare it exactly.

export const LAUNCHD_LABEL = 'dev.ollama-lens.agent';

export interface LaunchdPlistOptions {
  /** argv of the agent: the absolute node binary, the absolute cli.js, then the agent's flags. */
  command: readonly string[];
  stdoutPath: string;
  stderrPath: string;
  label?: string;
}

/**
 * Text as an XML element's content. `&`, `<` and `>` become entities; a carriage return becomes `&#13;`
 * (XML parsers would turn a raw one into a newline). XML 1.0 cannot carry the other control characters
 * at all, so an argument with one is refused rather than written into a plist launchd would reject.
 */
export function xmlEscape(text: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)) {
    throw new Error(`cannot put a control character into a launchd plist: ${JSON.stringify(text)}`);
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

const string = (value: string, indent: string) => `${indent}<string>${xmlEscape(value)}</string>`;

export function launchdPlist(opts: LaunchdPlistOptions): string {
  if (opts.command.length === 0 || !opts.command[0]!.startsWith('/'))
    throw new Error('ProgramArguments needs an absolute path to the program');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `ollama-lens service install`; `ollama-lens service uninstall` removes it. -->',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    string(opts.label ?? LAUNCHD_LABEL, '  '),
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...opts.command.map((arg) => string(arg, '    ')),
    '  </array>',
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <true/>',
    '  <key>StandardOutPath</key>',
    string(opts.stdoutPath, '  '),
    '  <key>StandardErrorPath</key>',
    string(opts.stderrPath, '  '),
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
