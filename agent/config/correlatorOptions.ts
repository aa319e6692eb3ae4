import type { CorrelatorOptions } from '../correlate/options.js';
import type { Config } from './schema.js';

/** The settings that shape what the correlator reports, shared by the agent and `analyze`. */
export function correlatorOptions(config: Pick<Config, 'expectMlx' | 'contextAlertTokens' | 'contextAlertRatio'>): CorrelatorOptions {
  return { expectMlx: config.expectMlx, contextAlertTokens: config.contextAlertTokens, contextAlertRatio: config.contextAlertRatio };
}
