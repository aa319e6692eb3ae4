// Why a request row shows no output tokens, when the reason is known: MLX requests the proxy did not see.
import type { RequestRecord } from '../../../shared/records.js';

export const MLX_ROW_NO_TOKENS =
  'MLX logs no output-token count. Run ollama-lens with --proxy LISTEN=UPSTREAM (README: Exact token counts) and requests through it get exact tokens (source: both).';

export function missingTokensNote(row: Pick<RequestRecord, 'backend' | 'completionTokens' | 'source'>): string | null {
  return row.backend === 'mlx' && row.completionTokens === null && row.source === 'log' ? MLX_ROW_NO_TOKENS : null;
}
