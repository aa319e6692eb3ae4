// doctor's questions to Ollama's API: version first (an unreachable server is one fact, not three
// errors), then local and loaded models, each under the caller's deadline.
import type { PsModel, ShowResponse, TagModel } from '../ollama/apiTypes.js';
import { OllamaApiError, type OllamaApi } from '../ollama/OllamaApi.js';
import type { DoctorFacts, LoadedModelFact, LocalModelFact, OllamaFact } from './types.js';

/** The parts of the Ollama client doctor uses. */
export type DoctorApi = Pick<OllamaApi, 'version' | 'ps' | 'tags' | 'show'>;

/** gatherFacts' deadline, passed in so that Ollama's parts are cut off with the others. */
export type Within = <T>(part: string, work: () => Promise<T>, fallback: T) => Promise<T>;

/** Why a request failed, in a word or two: `ECONNREFUSED`, `timed out`, `HTTP 404`. */
export function ollamaError(err: unknown): string {
  if (err instanceof OllamaApiError) return err.reason;
  const e = err as (Error & { cause?: { code?: unknown }; status?: unknown; code?: unknown }) | null;
  if (!e || typeof e !== 'object') return String(err);
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  if (typeof e.status === 'number') return `HTTP ${e.status}`;
  if (e.cause && typeof e.cause.code === 'string') return e.cause.code;
  if (typeof e.code === 'string') return e.code;
  return e.message || String(err);
}

function tagFact(t: TagModel): LocalModelFact {
  return {
    name: t.name,
    format: t.details.format,
    family: t.details.family,
    parameterSize: t.details.parameterSize,
    quantization: t.details.quantizationLevel,
    sizeBytes: t.sizeBytes,
  };
}

export async function askOllama(url: string, api: DoctorApi, within: Within): Promise<Pick<DoctorFacts, 'ollama' | 'models' | 'loaded'>> {
  let error: string | null = null;
  const version = await within<string | null>(
    'ollama',
    async () => {
      try {
        const v = await api.version();
        return typeof v === 'string' ? v : v.version;
      } catch (err) {
        error = ollamaError(err);
        throw err;
      }
    },
    null,
  );
  const reachable = version !== null;
  const ollama: OllamaFact = { url, reachable, version, error: reachable ? null : (error ?? 'timed out') };
  if (!reachable) return { ollama, models: null, loaded: null };

  const [tags, ps] = await Promise.all([
    within<TagModel[] | null>('ollama', () => api.tags(), null),
    within<PsModel[] | null>('ollama', () => api.ps(), null),
  ]);
  const loaded = ps === null ? null : await Promise.all(ps.map((p) => loadedFact(p, api, within)));
  return { ollama, models: tags?.map(tagFact) ?? null, loaded };
}

async function loadedFact(p: PsModel, api: DoctorApi, within: Within): Promise<LoadedModelFact> {
  const show = await within<ShowResponse | null>(
    'ollama',
    async () => {
      const first = await api.show(p.model);
      // Non-verbose /api/show blanks long per-layer arrays; hybrids need them for the KV arithmetic.
      const blanked =
        first.modelInfo !== null && Object.values(first.modelInfo).some((v) => v === null || (Array.isArray(v) && v.length === 0));
      return blanked ? await api.show(p.model, { verbose: true }).catch(() => first) : first;
    },
    null,
  );
  return {
    name: p.name,
    format: p.details.format ?? show?.details.format ?? null,
    sizeBytes: p.sizeBytes,
    vramBytes: p.vramBytes,
    contextLength: p.contextLength,
    modelInfo: show?.modelInfo ?? null,
  };
}
