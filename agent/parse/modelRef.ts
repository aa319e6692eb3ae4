// How logs name a model: a registry name (`registry.ollama.ai/library/qwen3:8b`) or only the path of
// its GGUF blob (`…/blobs/sha256-<hex>`), which a live agent can resolve through the API.

/** `registry.ollama.ai/library/qwen3:8b` → `qwen3:8b`; a blob path is not a name → null. */
export function modelName(value: string | undefined): string | null {
  if (!value) return null;
  if (value.includes('blobs') && (value.includes('/blobs/') || value.includes('\\blobs\\'))) return null;
  if (value.charCodeAt(0) === 0x73 /* s */ && /^sha256[-:]/.test(value)) return null;
  // Read for every request line that names its model: the regex only when the prefix is there.
  return value.startsWith('registry.ollama.ai/') ? value.replace(/^registry\.ollama\.ai\/(?:library\/)?/, '') : value;
}

/** `…/blobs/sha256-<hex>` → `sha256-<hex>`. */
export function blobDigest(value: string | undefined): string | null {
  const m = value && value.includes('sha256') ? /sha256[-:]([0-9a-f]{12,64})/.exec(value) : null;
  return m ? `sha256-${m[1]}` : null;
}
