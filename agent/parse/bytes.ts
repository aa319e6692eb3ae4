// Byte sizes as Ollama and llama.cpp print them: Go's HumanBytes2 (`"9.2 GiB"`, `"0 B"`), MLX's
// PrettyBytes (`"12.34 GiB"`), llama.cpp's `448.00 MiB`, decimal units (`40200.90 MB`) and bare counts.

const UNITS: Record<string, number> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
};

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*$/i;

/** `"9.2 GiB"` → 9878424780; `"0 B"` → 0; `"14495514624"` → 14495514624; anything else → null. */
export function parseBytes(text: string | undefined | null): number | null {
  if (text == null) return null;
  const m = SIZE.exec(text);
  if (!m) return null;
  const unit = UNITS[(m[2] ?? 'b').toLowerCase()];
  if (unit === undefined) return null;
  return Math.round(Number(m[1]) * unit);
}
