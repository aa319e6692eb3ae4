// The weights blob a model runs from, read from the modelfile /api/show returns. Log lines often name
// only `…/blobs/sha256-…` (llama-server's `--model`, `llama_model_loader: loaded meta data … from`),
// so this digest is what maps such a line back to a model name.
//
// Ollama writes the model's own blob as the first FROM (a vision projector, when there is one,
// follows as a second FROM), after a commented `# FROM <name>` hint that must be skipped.

const FROM_LINE = /^from\s+(.+)$/i;
/** The file name of a blob: `sha256-<hex>` today, `sha256:<hex>` in Ollama before the Windows port. */
const BLOB_NAME = /^sha256[-:]([0-9a-f]{64})$/i;

/** `sha256-<64 hex>` (lower case) from the first FROM line, or null when FROM names a model or nothing. */
export function modelfileBlob(modelfile: string | null | undefined): string | null {
  if (!modelfile) return null;
  for (const raw of modelfile.split('\n')) {
    // Anchored at the start, so the commented `# FROM <name>` hint never matches.
    const m = FROM_LINE.exec(raw.trim());
    if (!m) continue;
    // Only the first FROM is the weights; if it names a model (`FROM llama3.2`) there is no blob.
    return blobFromPath(m[1]!);
  }
  return null;
}

/** The blob digest of a path such as `C:\Users\me\.ollama\models\blobs\sha256-…`, else null. */
export function blobFromPath(path: string): string | null {
  let p = path.trim();
  if (p.length >= 2 && (p[0] === '"' || p[0] === "'") && p.endsWith(p[0])) p = p.slice(1, -1);
  // Both separators: a Windows server's paths use `\`, and Go on Windows also accepts `/`.
  const base = p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const m = BLOB_NAME.exec(base);
  return m ? `sha256-${m[1]!.toLowerCase()}` : null;
}
