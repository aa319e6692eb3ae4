// The flags a service runs the agent with: exactly the ones the user gave to `service install`, after
// validation and normalisation (relative paths made absolute, URLs in canonical form), in schema order.
import { OPTIONS, type Config } from '../config/schema.js';

export function agentFlags(config: Config, given: ReadonlySet<keyof Config>): string[] {
  const out: string[] = [];
  for (const spec of OPTIONS) {
    if (!given.has(spec.key)) continue;
    const value = config[spec.key];
    if (value === null || value === undefined) continue;
    const values: unknown[] = spec.repeatable && Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (spec.kind === 'switch') out.push(v === true ? spec.flag : `${spec.flag}=false`);
      // A value that looks like a flag would be refused as `--flag -x`; `--flag=-x` is unambiguous.
      else if (String(v).startsWith('-')) out.push(`${spec.flag}=${String(v)}`);
      else out.push(spec.flag, String(v));
    }
  }
  return out;
}
