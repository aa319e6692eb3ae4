import { describe, expect, it } from 'vitest';
import { missingTokensNote } from '../../dashboard/src/lib/tokenNote.js';

describe('missingTokensNote', () => {
  it('explains an MLX row from the log alone, and points to the proxy', () => {
    expect(missingTokensNote({ backend: 'mlx', completionTokens: null, source: 'log' })).toContain('--proxy');
  });
  it('says nothing when the proxy saw the request or the tokens are known', () => {
    expect(missingTokensNote({ backend: 'mlx', completionTokens: 120, source: 'both' })).toBeNull();
    expect(missingTokensNote({ backend: 'mlx', completionTokens: null, source: 'both' })).toBeNull();
    expect(missingTokensNote({ backend: 'metal', completionTokens: null, source: 'log' })).toBeNull();
  });
});
