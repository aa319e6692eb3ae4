// The dashboard's one number format: every figure on the page goes through these (they live in
// shared/ because the CLI report prints the same figures).
export {
  formatBackend,
  formatBytes,
  formatCompact,
  formatCount,
  formatLatency,
  formatNumber,
  formatRate,
  UNKNOWN,
} from '../../../shared/format.js';
