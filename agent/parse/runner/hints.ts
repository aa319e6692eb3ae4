// Two facts inside lines that are otherwise noise: the model's own name from the GGUF metadata dump
// (`general.name`, a display hint for a load known only by its blob) and Metal's recommended working
// set (`recommendedMaxWorkingSetSize`, what MLX and llama.cpp can use before macOS starts paging).
import type { LineEvent } from '../events.js';
import { parseBytes } from '../bytes.js';

const GENERAL_NAME = /\bgeneral\.name(?: str)?\s*=\s*(.+?)\s*$/;
const WORKING_SET = /recommendedMaxWorkingSetSize\s*=\s*(\d+(?:\.\d+)?\s*[KMG]?i?B)/;

/** Only lines that can hold a hint are searched: the dump's prefixes and ggml's Metal init. */
export function hintEvent(line: string): LineEvent | null {
  const c = line.charCodeAt(0);
  if (c === 0x6c /* l */ || c === 0x70 /* p */) {
    const candidate =
      line.startsWith('print_info: general.name') ||
      line.startsWith('llm_load_print_meta: general.name') ||
      (line.startsWith('llama_model_loader: - kv') && line.includes('general.name'));
    if (!candidate) return null;
    const m = GENERAL_NAME.exec(line);
    return m && m[1] !== 'n/a' && m[1] !== '' ? { type: 'model_hint', name: m[1]!.slice(0, 120) } : null;
  }
  // `W` is rare in ggml's lines: one character search before the long one.
  if (c === 0x67 /* g */ && line.startsWith('ggml_metal') && line.indexOf('W') >= 0 && line.includes('recommendedMaxWorkingSetSize')) {
    const bytes = parseBytes(WORKING_SET.exec(line)?.[1]);
    return bytes === null ? null : { type: 'working_set', bytes };
  }
  return null;
}
