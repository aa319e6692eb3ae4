// Validate-at-the-edge parsers for Ollama's API bodies. Pure: `(json: unknown) => X | null`.
// Nothing from the wire is trusted: every field is type-checked, optional fields that are missing
// or of the wrong type become `null`, and only a body that is not the endpoint's shape at all is
// rejected (`null`), so the client can report "unexpected JSON" instead of crashing later.
import type { ModelDetails, PsModel, ShowResponse, TagModel, VersionResponse } from './apiTypes.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go writes unset strings as `""`; that is "unknown", not a value. */
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Byte counts and the like: finite and not negative. */
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/** Go's zero time, which a struct without `omitempty` still serialises. */
const time = (v: unknown): string | null => {
  const s = str(v);
  return s === null || s.startsWith('0001-01-01') ? null : s;
};

const strings = (v: unknown): string[] | null =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : null;

export function parseDetails(v: unknown): ModelDetails {
  const d = isObj(v) ? v : {};
  return {
    parentModel: str(d.parent_model),
    format: str(d.format),
    family: str(d.family),
    families: strings(d.families),
    parameterSize: str(d.parameter_size),
    quantizationLevel: str(d.quantization_level),
  };
}

export function parseVersion(json: unknown): VersionResponse | null {
  if (!isObj(json)) return null;
  const version = str(json.version);
  return version === null ? null : { version };
}

/**
 * The `models` array of /api/ps and /api/tags. Go always writes the key; `null` (a nil slice) means
 * none. Entries without a name are dropped rather than failing the whole list.
 */
function modelList(json: unknown): Obj[] | null {
  if (!isObj(json) || !('models' in json)) return null;
  const models = json.models;
  if (models === null) return [];
  if (!Array.isArray(models)) return null;
  return models.filter((m): m is Obj => isObj(m) && str(m.name) !== null);
}

export function parsePs(json: unknown): PsModel[] | null {
  return (
    modelList(json)?.map((m) => {
      const name = str(m.name)!;
      const ctx = num(m.context_length);
      return {
        name,
        model: str(m.model) ?? name,
        digest: str(m.digest),
        sizeBytes: num(m.size),
        vramBytes: num(m.size_vram),
        // 0 is Go's zero value (runner not started yet), never a real context.
        contextLength: ctx !== null && ctx > 0 ? ctx : null,
        expiresAt: time(m.expires_at),
        details: parseDetails(m.details),
      };
    }) ?? null
  );
}

export function parseTags(json: unknown): TagModel[] | null {
  return (
    modelList(json)?.map((m) => {
      const name = str(m.name)!;
      return {
        name,
        model: str(m.model) ?? name,
        modifiedAt: time(m.modified_at),
        sizeBytes: num(m.size),
        digest: str(m.digest),
        details: parseDetails(m.details),
      };
    }) ?? null
  );
}

/**
 * Every field of ShowResponse is `omitempty` in Go, so any object is a valid (if empty) answer;
 * an `error` body is not one, even if it arrived with a 200.
 */
export function parseShow(json: unknown): ShowResponse | null {
  if (!isObj(json) || typeof json.error === 'string') return null;
  return {
    details: parseDetails(json.details),
    modelInfo: isObj(json.model_info) ? json.model_info : null,
    modelfile: str(json.modelfile),
    capabilities: strings(json.capabilities),
    modifiedAt: time(json.modified_at),
  };
}
