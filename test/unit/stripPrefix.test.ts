import { describe, expect, it } from 'vitest';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';

const slog = 'time=2024-05-29T15:46:00.493Z level=INFO source=routes.go:1074 msg="Listening on 127.0.0.1:11434 (version 0.1.39)"';

describe('stripPrefix', () => {
  it.each([
    ['bare slog', slog, slog],
    ['journald', `May 29 15:46:00 test-server ollama[233557]: ${slog}`, slog],
    ['journald single-digit day', `Jun  8 01:02:03 box ollama[1]: ${slog}`, slog],
    ['journald in a French locale', `mai 17 11:51:48 urano ollama[2111]: ${slog}`, slog],
    ['journald in a German locale', `Mär 03 09:00:00 box ollama[7]: ${slog}`, slog],
    ['journald in a French locale, abbreviated with a dot', `janv. 05 08:00:00 box ollama[7]: ${slog}`, slog],
    ['journald in a French locale, accented', `déc. 24 23:59:59 box ollama[7]: ${slog}`, slog],
    ['journald in a Spanish/Italian locale', `dic 02 10:11:12 box ollama[7]: ${slog}`, slog],
    ['journald in a Russian locale', `мая 02 10:11:12 box ollama[7]: ${slog}`, slog],
    ['a hole of NUL bytes left by truncating the file', `\0\0\0\0${slog}`, slog],
    ['spinner frames of a captured terminal', `⠇ ⠏ ⠋ ⠙ ${slog}`, slog],
    ['journald with the host and pid redacted', `Sep 11 00:04:26   ollama[]: ${slog}`, slog],
    ['compose', `llm-api-ollama  | ${slog}`, slog],
    ['Docker Desktop', `2024-05-29 15:46:00 ${slog}`, slog],
    ['BOM', `\uFEFF${slog}`, slog],
    ['PowerShell Out-File first record', `ollama.exe : ${slog}`, slog],
    ['PowerShell first record after a BOM', `\uFEFFollama.exe : ${slog}`, slog],
    [
      'PowerShell record of a Go-log line',
      'ollama.exe : 2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[]"',
      '2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[]"',
    ],
    ['journald ident ollama is not PowerShell', `May 29 15:46:00 box ollama: ${slog}`, slog],
    ['llama.cpp line untouched', 'load_tensors: offloaded 33/33 layers to GPU', 'load_tensors: offloaded 33/33 layers to GPU'],
    [
      'Go log line untouched',
      '2023/12/27 02:44:39 routes.go:895: Listening on 127.0.0.1:11434 (version 0.1.17)',
      '2023/12/27 02:44:39 routes.go:895: Listening on 127.0.0.1:11434 (version 0.1.17)',
    ],
    [
      'llama-server slot line untouched',
      'slot update_slots: id  0 | task 0 | new prompt',
      'slot update_slots: id  0 | task 0 | new prompt',
    ],
  ])('%s', (_name, input, want) => {
    expect(stripPrefix(input)).toBe(want);
  });
});
