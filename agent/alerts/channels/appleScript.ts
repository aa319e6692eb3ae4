// AppleScript source for one `display notification`. The text comes from log lines and model names, so
// it is escaped as an AppleScript string literal: inside double quotes only the backslash and the
// double quote are special. Control characters are removed rather than escaped (a notification is one
// line anyway), and lengths are capped because Notification Center truncates long text itself, at a
// place of its choosing.
import { clip, oneLine } from './notificationText.js';

export const MAC_NOTIFICATION_TITLE = 'ollama-lens';
/** Notification Center shows about one line of subtitle and two to four of body. */
export const MAC_SUBTITLE_MAX_CHARS = 100;
export const MAC_BODY_MAX_CHARS = 240;

/** `"…"`: one line, at most `max` characters, safe inside an AppleScript script. */
export function appleScriptString(text: string, max: number): string {
  const clean = clip(oneLine(text), max);
  return `"${clean.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function displayNotificationScript(subtitle: string, body: string): string {
  return (
    `display notification ${appleScriptString(body, MAC_BODY_MAX_CHARS)}` +
    ` with title ${appleScriptString(MAC_NOTIFICATION_TITLE, MAC_SUBTITLE_MAX_CHARS)}` +
    ` subtitle ${appleScriptString(subtitle, MAC_SUBTITLE_MAX_CHARS)}`
  );
}
